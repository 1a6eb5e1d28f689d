"""Italian wording: customers in Italy, answered by Chloé or Mara (formal "Lei")."""

from __future__ import annotations

from agentconsole.demo.scripts import LanguageScript, Scenario

SCRIPT = LanguageScript(
    language="it",
    customer_greetings=("Buongiorno,", "Salve,", "Gentile team Lindenhof,", ""),
    customer_signoffs=(
        "Grazie mille,\n{first}",
        "Cordiali saluti,\n{full}",
        "Un saluto,\n{first}",
        "Grazie in anticipo,\n{full}",
    ),
    agent_greeting="Buongiorno {first},",
    agent_signoff="Un caro saluto,\n{agent}\n{shop}",
    nudges=(
        "Ci sono novità? Non ho ancora ricevuto risposta.",
        "Scrivo di nuovo riguardo al messaggio qui sotto: potreste aggiornarmi?",
    ),
    thanks=("Grazie mille, perfetto!", "Ottimo, grazie per l'aiuto."),
    auto_reply_subject="Risposta automatica: {subject}",
    auto_reply_body=(
        "Grazie per il messaggio. Questa settimana sono fuori ufficio e leggo la posta solo "
        "saltuariamente. Risponderò al mio rientro.\n\n{full}"
    ),
    products={
        "LN-TCL": "tovaglia di lino",
        "LN-DUV": "copripiumino di lino",
        "LN-FIT": "lenzuolo con angoli di lino",
        "LN-APR": "grembiule di lino",
        "LN-PIL": "federe di lino",
        "WF-TWL": "telo bagno a nido d'ape",
        "LN-CUS": "fodera per cuscino di lino",
        "LN-NAP": "tovaglioli di lino",
    },
    scenarios={
        "wismo": Scenario(
            subjects=(
                "Dov'è il mio ordine {order}?",
                "Ordine {order} non ancora arrivato",
                "Stato della spedizione {order}",
            ),
            beats=(
                (
                    "Ho effettuato l'ordine {order} {days} giorni fa, ma non è ancora arrivato "
                    "nulla. Il tracciamento è fermo da giorni. Potreste controllare?",
                    "Potreste dirmi dove si trova il mio ordine {order}? È un regalo e mi "
                    "servirebbe entro il fine settimana.",
                ),
                (
                    "Grazie per averci scritto. Il Suo ordine {order} ha lasciato il nostro "
                    "magazzino ed è stato affidato a {carrier}. Il codice di tracciamento è "
                    "{tracking}, può seguirlo qui:\n{tracking_url}\n\nDi solito la consegna in "
                    "Italia richiede 4–6 giorni lavorativi. Se entro domani sera non ci sono "
                    "aggiornamenti, me lo faccia sapere e aprirò una pratica con {carrier}.",
                    "Mi scusi per l'attesa! Ho controllato: {order} è stato consegnato a "
                    "{carrier} ed è in viaggio (codice {tracking}).\n\nStato aggiornato: "
                    "{tracking_url}\n\nLo tengo d'occhio anch'io.",
                ),
                (
                    'Grazie. Il tracciamento dice "in transito" da tre giorni. Il pacco si è '
                    "perso?",
                    "Il link non si aggiorna da quando il pacco è partito dalla Germania. Devo "
                    "preoccuparmi?",
                ),
                (
                    "Ho parlato con {carrier}: il pacco era fermo nel centro di smistamento ed è "
                    "di nuovo in viaggio, dovrebbe arrivare entro due giorni. In caso contrario "
                    "Le spediremo subito un nuovo pacco, senza aspettare l'esito della pratica.",
                    "{carrier} conferma che il pacco è nell'ufficio di zona e verrà consegnato "
                    "domani. Ho preso nota di {order}: se qualcosa dovesse andare storto, lo "
                    "rispediremo a nostre spese.",
                ),
            ),
        ),
        "returns": Scenario(
            subjects=(
                "Reso per l'ordine {order}",
                "Richiesta di reso {order}",
                "Come faccio un reso?",
            ),
            beats=(
                (
                    "Vorrei restituire l'articolo «{product}» ({variant}) dell'ordine {order}. "
                    "È molto bello, ma la misura non va bene. Come devo fare?",
                    "L'articolo «{product}» dell'ordine {order} non si abbina alla nostra casa: "
                    "il colore è diverso da quello in foto. Posso restituirlo e avere il "
                    "rimborso?",
                ),
                (
                    "Certamente: ha 30 giorni di tempo per restituire gli articoli non usati. "
                    "Può stampare l'etichetta di reso gratuita qui:\n{returns_url}\n\nInserisca "
                    "nel pacco un biglietto con il numero d'ordine {order}. Appena lo riceviamo "
                    "procediamo con il rimborso.",
                    "Nessun problema. Ho creato un reso per {order}: lo avvii su {returns_url} "
                    "e riceverà un'etichetta prepagata via e-mail. Il rimborso arriva entro 3 "
                    "giorni lavorativi dalla ricezione.",
                ),
                (
                    "Grazie, ho spedito il pacco ieri. Quanto ci vorrà per il rimborso?",
                    "Il pacco è in viaggio verso di voi. Vi serve altro da parte mia?",
                ),
                (
                    "Il Suo reso è arrivato oggi e Le ho rimborsato {amount} sul metodo di "
                    "pagamento originale. A seconda della banca possono servire alcuni giorni.",
                    "Tutto arrivato in perfette condizioni: il rimborso di {amount} è stato "
                    "disposto. Se desidera aiuto per scegliere un'altra misura, mi scriva pure.",
                ),
            ),
        ),
        "sizing": Scenario(
            subjects=(
                "Domanda sulle misure della biancheria da letto",
                "Quale misura per il mio letto?",
                "Misura del lenzuolo con angoli",
            ),
            beats=(
                (
                    "Il nostro materasso misura {bed} cm. Quale lenzuolo con angoli e quale "
                    "copripiumino devo ordinare? Non vorrei che il lenzuolo fosse troppo largo.",
                    "Prima di ordinare: la vostra biancheria di lino si restringe con i lavaggi? "
                    "Il nostro letto è {bed} cm e non so quale misura scegliere.",
                ),
                (
                    "Ottima domanda! Per un materasso di {bed} cm prenda il lenzuolo con angoli "
                    "{fitted}: ha una balza di 30 cm e resta ben fermo su materassi alti fino a "
                    "25 cm. Per il copripiumino la misura giusta è {duvet}.\n\nIl nostro lino è "
                    "prelavato e a 40 °C si restringe al massimo del 2% circa.",
                    "Il lenzuolo con angoli {fitted} è pensato per un materasso di {bed} cm, e "
                    "quasi tutti lo abbinano al copripiumino {duvet}. Il lino è prelavato, "
                    "quindi il restringimento è minimo lavando a 40 °C senza asciugatrice.",
                ),
                (
                    "Perfetto, grazie. Le federe esistono nello stesso colore?",
                    "Grazie! Un'ultima cosa: il copripiumino si chiude con bottoni o con la "
                    "cerniera?",
                ),
                (
                    "Sì, ogni colore è disponibile anche in federe, vendute in coppia (50 × 75 "
                    "cm e 80 × 80 cm). Buon riposo con la nuova biancheria!",
                    "Si chiude con bottoni in guscio di cocco, che resistono ai lavaggi molto "
                    "meglio delle cerniere. Resto a disposizione.",
                ),
            ),
        ),
        "teapot": Scenario(
            subjects=(
                "Teiera arrivata rotta",
                "Teiera rotta – ordine {order}",
                "Articolo danneggiato nell'ordine {order}",
            ),
            beats=(
                (
                    "Ho appena aperto l'ordine {order} e la teiera in gres è rotta: il beccuccio "
                    "si è staccato e nella scatola ci sono cocci dappertutto. La scatola esterna "
                    "sembrava intatta. Allego le foto.",
                    "Purtroppo la teiera dell'ordine {order} è arrivata in pezzi. Il coperchio è "
                    "incrinato e il manico si è staccato. Un vero peccato, era un regalo.",
                ),
                (
                    "Mi dispiace moltissimo, la nostra teiera non dovrebbe arrivare così. Le ho "
                    "spedito una sostituzione gratuita con l'ordine {replacement}, che parte "
                    "domani. Non serve restituire quella rotta.",
                    "Che peccato, mi scuso davvero. Una nuova teiera è in viaggio verso di Lei "
                    "con l'ordine {replacement}, senza alcun costo. I cocci può semplicemente "
                    "buttarli.",
                ),
                (
                    "Non ci posso credere: anche la teiera sostitutiva ({replacement}) è "
                    "arrivata rotta. Di nuovo il beccuccio. C'è qualcosa che non va "
                    "nell'imballaggio?",
                    "Anche la seconda teiera è incrinata. È la seconda volta, non so se voglio "
                    "provarci una terza.",
                ),
                (
                    "Mi dispiace sinceramente. Purtroppo non è un caso isolato: non spediremo "
                    "più la teiera finché non arriva la nostra nuova scatola a doppia parete. Le "
                    "ho rimborsato {amount} per la teiera dell'ordine {order}. Se vorrà "
                    "riprovare, Le metto da parte una teiera.",
                    "Ha perfettamente ragione, mi scusi. Questo mese cambiamo l'imballaggio "
                    "delle teiere. Le ho rimborsato l'intero importo della teiera ({amount}). "
                    "Vuole che Le riservi una teiera del primo lotto con il nuovo imballaggio?",
                ),
                (
                    "Grazie per il rimborso. Sì, me ne tenga una da parte, il modello mi piace "
                    "davvero.",
                    "Va bene, grazie. Mi avvisi quando il nuovo imballaggio è pronto e ci "
                    "riproverò.",
                ),
                (
                    "Fatto: c'è una teiera del Suo colore riservata, e Le scriverò appena "
                    "partirà nella nuova scatola. Grazie per la pazienza!",
                    "Senz'altro. È in lista, e quella teiera è un nostro regalo. Grazie per la "
                    "comprensione.",
                ),
            ),
        ),
        "invoice": Scenario(
            subjects=(
                "Fattura per l'ordine {order}",
                "Serve la fattura con partita IVA",
                "Copia della fattura {order}",
            ),
            beats=(
                (
                    "Potreste inviarmi la fattura dell'ordine {order} intestata alla nostra "
                    "azienda? {company}, partita IVA {vat_id}.",
                    "Non trovo più la fattura dell'ordine {order} nella mia posta. Potreste "
                    "inviarmene una copia in PDF?",
                ),
                (
                    "Certo, in allegato trova la fattura di {order} in PDF. Può scaricarla in "
                    "qualsiasi momento anche dalla pagina dell'ordine:\n{status_url}",
                    "Ecco la fattura di {order} in allegato. Se la ragione sociale o la partita "
                    "IVA vanno modificate, me lo dica e la emetto di nuovo.",
                ),
                (
                    "Grazie. Potreste aggiungere anche il nostro riferimento d'ordine PO-{po}?",
                    "Grazie. L'indirizzo però è quello vecchio: potreste inserire quello della "
                    "nuova sede?",
                ),
                (
                    "Nessun problema, in allegato la fattura aggiornata.",
                    "Fatto: la fattura corretta è in allegato e ho aggiornato il Suo account "
                    "per le prossime fatture.",
                ),
            ),
        ),
        "promo": Scenario(
            subjects=(
                "Codice sconto non funziona",
                "Problema con il codice {code}",
                "Domanda sui saldi",
            ),
            beats=(
                (
                    "Sto provando a usare il codice {code} della vostra newsletter, ma al "
                    "pagamento risulta non valido. È scaduto?",
                    "Il codice {code} vale anche per gli articoli già scontati? Sui tovaglioli "
                    "nel carrello non viene applicato.",
                ),
                (
                    "Mi scusi! {code} non si può combinare con articoli già scontati, per questo "
                    "è stato rifiutato. Le ho creato un codice personale: con {new_code} ha il "
                    "15% su tutto il carrello fino alla fine del mese.",
                    "Grazie della segnalazione. {code} è scaduto domenica, ma non vogliamo che "
                    "perda lo sconto: usi {new_code} per lo stesso sconto, valido 14 giorni.",
                ),
                (
                    "Ha funzionato, grazie! Ordine fatto.",
                    "Ottimo, grazie. La spedizione resta gratuita con il codice?",
                ),
                (
                    "Benissimo, si goda i nuovi acquisti!",
                    "Sì, la spedizione è gratuita sopra i 75 € dopo lo sconto.",
                ),
            ),
        ),
        "address": Scenario(
            subjects=(
                "Cambio indirizzo per l'ordine {order}",
                "Indirizzo sbagliato nell'ordine {order}",
                "Spedire {order} a un altro indirizzo",
            ),
            beats=(
                (
                    "Mi accorgo ora di aver indicato il vecchio indirizzo per l'ordine {order}. "
                    "Potreste spedirlo a:\n\n{address}\n\nScusate il disturbo!",
                    "È possibile cambiare l'indirizzo di consegna di {order}? Quella settimana "
                    "sono al lavoro, quindi vi chiedo di consegnare a:\n{address}",
                ),
                (
                    "Nessun problema: l'ordine non era ancora partito, quindi ho modificato "
                    "l'indirizzo di consegna di {order} in:\n\n{address}\n\nRiceverà un'e-mail "
                    "con il tracciamento appena verrà spedito.",
                    "Appena in tempo! {order} andrà al nuovo indirizzo e partirà entro un giorno "
                    "lavorativo.",
                ),
                (
                    "Grazie! L'e-mail con il tracciamento arriverà allo stesso indirizzo di prima?",
                    "Ottimo. Potete aggiornare l'indirizzo anche nel mio account?",
                ),
                (
                    "Sì, l'e-mail arriva all'indirizzo usato per l'ordine. Tutto a posto!",
                    "Fatto: il Suo account ora ha il nuovo indirizzo come predefinito.",
                ),
            ),
        ),
        "thanks": Scenario(
            subjects=("Grazie!", "Pacco bellissimo", "Volevo solo ringraziarvi"),
            beats=(
                (
                    "Volevo solo dirvi che l'articolo «{product}» è arrivato oggi ed è ancora "
                    "più bello che in foto. Anche la confezione era curatissima. Grazie!",
                    "L'ordine {order} è arrivato stamattina. Qualità splendida, ordinerò di "
                    "nuovo di sicuro per i regali di Natale.",
                ),
                (
                    "Grazie di cuore per averci scritto, ci ha fatto davvero piacere! Se lo goda.",
                    "Che gentile, grazie! Ho girato il Suo messaggio al team che ha preparato "
                    "il pacco.",
                ),
            ),
        ),
    },
)
