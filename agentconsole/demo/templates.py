"""The demo shop's knowledge base: canned replies and short articles, as Markdown files.

Why files: a shop keeps its knowledge base as Markdown with YAML front matter that the owner
edits in any editor and the console indexes; the demo writes the same kind of files, so it
exercises the real path. Why these: they are the answers the demo's own conversations call for
(tracking, return labels, the broken teapot, invoices …). Every id exists in all six demo
languages (English, German, French, Italian, Spanish, Polish). The wording follows
``demo/scripts``, down to the words customers use there ("facture", "misura", "rozmiar" …), so
matching a customer's message finds the reply in their language. German replies say "du", the
other languages are formal. Bodies are Jinja2 (rendered in a sandbox); ``| default(…)`` is used
only for the greeting's first name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class KnowledgeFile:
    """One knowledge-base file: its name (``<id>.<language>.md``) and full text."""

    filename: str
    text: str


@dataclass(frozen=True)
class Ask:
    """A value the agent is asked for before the template is inserted (``ask.<name>``)."""

    name: str
    question: str
    choices: str | tuple[str, ...] | None = None  # "order.items" or a fixed list


RETURNS_URL = "https://demo.lindenhof.example/returns"

GREETING: dict[str, str] = {
    "en": 'Hi {{ customer.first_name | default("there") }},',
    "de": 'Hallo {{ customer.first_name | default("zusammen") }},',
    "fr": 'Bonjour {{ customer.first_name | default("à vous") }},',
    "it": 'Buongiorno {{ customer.first_name | default("a Lei") }},',
    "es": 'Hola, {{ customer.first_name | default("buenos días") }}:',
    "pl": "Dzień dobry,",
}

SIGN_OFF: dict[str, str] = {
    "en": "Best wishes,",
    "de": "Viele Grüße",
    "fr": "Belle journée,",
    "it": "Un caro saluto,",
    "es": "Un saludo cordial,",
    "pl": "Pozdrawiam serdecznie",
}


def _scalar(value: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    probe = f"x: [{value}]" if flow else f"x: {value}"
    try:
        plain = yaml.safe_load(probe) == {"x": [value] if flow else value}
    except yaml.YAMLError:
        plain = False
    if plain and value == value.strip():
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _flow_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_scalar(v, flow=True) for v in values) + "]"


@dataclass(frozen=True)
class _Meta:
    """What all translations of one id share."""

    category: str
    tags: tuple[str, ...]
    key: str | None = None  # the composer key that inserts it


META: dict[str, _Meta] = {
    "where-is-my-order": _Meta("shipping", ("tracking", "shipping"), key="alt+w"),
    "return-label": _Meta("returns", ("returns",)),
    "broken-item-replacement": _Meta("order-issues", ("damaged", "replacement")),
    "missing-item": _Meta("order-issues", ("missing", "shipping")),
    "invoice-copy": _Meta("billing", ("invoice",)),
    "size-guide": _Meta("products", ("sizing", "pre-sale")),
    "discount-code": _Meta("promotions", ("promo",)),
    "address-change": _Meta("shipping", ("shipping", "address-change")),
    "thanks": _Meta("feedback", ("feedback",)),
    "birthday-greeting": _Meta("loyalty", ("birthday", "loyalty")),
    "return-policy": _Meta("policy", ("returns", "policy")),
}


def _article(
    template_id: str, language: str, title: str, body: str, *, ask: tuple[Ask, ...] = ()
) -> KnowledgeFile:
    """A file whose body is used as given: front matter, body, final newline."""
    meta = META[template_id]
    lines = [
        "---",
        f"id: {template_id}",
        f"title: {_scalar(title)}",
        f"language: {language}",
        f"category: {meta.category}",
        f"tags: {_flow_list(meta.tags)}",
    ]
    if meta.key is not None:
        lines.append(f"key: {_scalar(meta.key)}")
    if ask:
        lines.append("ask:")
        for question in ask:
            lines += [f"  {question.name}:", f"    question: {_scalar(question.question)}"]
            if isinstance(question.choices, str):
                lines.append(f"    choices: {_scalar(question.choices)}")
            elif question.choices is not None:
                lines.append(f"    choices: {_flow_list(question.choices)}")
    lines.append("---")
    text = "\n".join(lines) + "\n" + body.strip() + "\n"
    return KnowledgeFile(f"{template_id}.{language}.md", text)


def _reply(
    template_id: str, language: str, title: str, text: str, *, ask: tuple[Ask, ...] = ()
) -> KnowledgeFile:
    """A reply: the language's greeting, ``text``, and the sign-off (agent name and shop)."""
    body = (
        f"{GREETING[language]}\n\n{text.strip()}\n\n"
        f"{SIGN_OFF[language]}\n{{{{ agent.name }}}}\n{{{{ shop.name }}}}"
    )
    return _article(template_id, language, title, body, ask=ask)


KNOWLEDGE: tuple[KnowledgeFile, ...] = (
    # English
    _reply(
        "where-is-my-order",
        "en",
        "Where is my order?",
        "Thanks for getting in touch. Your order {{ order.number }} is on its way with "
        "{{ order.carrier }}. The tracking number is {{ order.tracking_number }} and you can "
        "follow it here:\n{{ order.tracking_link }}\n\n"
        "If it hasn't moved in two working days, just reply and I'll chase it for you.",
    ),
    _reply(
        "return-label",
        "en",
        "Return label",
        "Of course. You can return anything unused within 30 days. Print your free return "
        f"label here:\n{RETURNS_URL}\n\n"
        "Please put a note with the order number {{ order.number }} in the parcel; we refund "
        "within 3 working days of receiving it.",
    ),
    _reply(
        "broken-item-replacement",
        "en",
        "Broken item: replacement on its way",
        "I'm so sorry your parcel arrived damaged. A replacement is on its way to you free of "
        "charge, and there's no need to send the broken item back.\n\n"
        "You can follow the new parcel with {{ order.carrier }} here:\n"
        "{{ order.tracking_link }}",
    ),
    _reply(
        "missing-item",
        "en",
        "Missing item: sent on separately",
        "Thank you for letting us know, and I'm so sorry your parcel for order "
        "{{ order.number }} arrived without the {{ ask.item }}. We're sending the missing item "
        "on separately, free of charge, and you'll get an email with the tracking number as "
        "soon as it's on its way.",
        ask=(Ask("item", "Which item is missing from the parcel?", "order.items"),),
    ),
    _reply(
        "invoice-copy",
        "en",
        "Copy of the invoice",
        "Please find the invoice for {{ order.number }} attached. If you need a company name "
        "or VAT number on it, reply with the details and I'll reissue it.",
    ),
    _reply(
        "size-guide",
        "en",
        "Bed linen size guide",
        "Our fitted sheets have a 30 cm pocket and fit mattresses up to 25 cm deep. The usual "
        "pairs are:\n\n"
        "- 90×200 cm mattress: duvet cover 135×200 cm\n"
        "- 140×200 or 160×200 cm mattress: duvet cover 200×200 cm\n"
        "- 180×200 cm mattress: duvet cover 240×220 cm\n\n"
        "Our linen is pre-washed and shrinks at most 2% at 40 °C.",
    ),
    _reply(
        "discount-code",
        "en",
        "Discount code not working",
        "Sorry the code didn't work. Codes can't be combined with items that are already on "
        "sale. Here is a personal code for 15% off your whole basket, valid for 14 days: "
        "SORRY15-{{ customer.first_name }}",
    ),
    _reply(
        "address-change",
        "en",
        "Delivery address changed",
        "No problem: I've changed the delivery address for {{ order.number }}. You'll get a "
        "tracking email as soon as it ships.",
    ),
    _reply(
        "thanks",
        "en",
        "Thank you for your kind words",
        "Thank you so much for taking the time to write, it made our day! I've passed your "
        "message on to the team.",
    ),
    _reply(
        "birthday-greeting",
        "en",
        "Happy birthday",
        "Everyone at {{ shop.name }} wishes you a very happy birthday! As a small present, "
        "shipping is on us for your next order this month.",
    ),
    _article(
        "return-policy",
        "en",
        "Return policy",
        "You can return anything unused within 30 days of delivery.\n\n"
        f"- Returns are free: print a prepaid label at {RETURNS_URL}\n"
        "- Please put a note with your order number in the parcel.\n"
        "- We refund to your original payment method within 3 working days of receiving the "
        "parcel.\n"
        "- Something arrived broken? Send us a photo and we'll send a replacement or refund "
        "you. There's no need to send the broken item back.\n\n"
        "The full return policy is here: {{ shop.return_policy_link }}",
    ),
    # German
    _reply(
        "where-is-my-order",
        "de",
        "Wo ist meine Bestellung?",
        "danke für deine Nachricht. Deine Bestellung {{ order.number }} ist mit "
        "{{ order.carrier }} unterwegs. Die Sendungsnummer lautet {{ order.tracking_number }}; "
        "hier kannst du das Paket verfolgen:\n{{ order.tracking_link }}\n\n"
        "Falls sich in den nächsten zwei Werktagen nichts tut, antworte einfach auf diese "
        "Nachricht, dann hake ich bei {{ order.carrier }} nach.",
    ),
    _reply(
        "return-label",
        "de",
        "Retourenetikett",
        "klar, unbenutzte Artikel kannst du innerhalb von 30 Tagen zurückschicken. Das "
        f"kostenlose Retourenetikett bekommst du hier:\n{RETURNS_URL}\n\n"
        "Leg bitte einen Zettel mit der Bestellnummer {{ order.number }} ins Paket. Die "
        "Erstattung erfolgt innerhalb von 3 Werktagen, nachdem es bei uns angekommen ist.",
    ),
    _reply(
        "broken-item-replacement",
        "de",
        "Beschädigt angekommen: Ersatz ist unterwegs",
        "es tut mir sehr leid, dass dein Paket beschädigt angekommen ist. Wir schicken dir "
        "kostenlos Ersatz, den kaputten Artikel musst du nicht zurückschicken.\n\n"
        "Das neue Paket ist mit {{ order.carrier }} unterwegs, verfolgen kannst du es hier:\n"
        "{{ order.tracking_link }}",
    ),
    _reply(
        "missing-item",
        "de",
        "Fehlender Artikel wird nachgeschickt",
        "danke für deinen Hinweis, und entschuldige bitte: In deinem Paket zur Bestellung "
        "{{ order.number }} hat der Artikel „{{ ask.item }}“ gefehlt. Wir schicken ihn dir "
        "kostenlos in einem separaten Paket nach. Sobald er unterwegs ist, bekommst du eine "
        "E-Mail mit der Sendungsnummer.",
        ask=(Ask("item", "Welcher Artikel fehlt im Paket?", "order.items"),),
    ),
    _reply(
        "invoice-copy",
        "de",
        "Rechnungskopie",
        "anbei findest du die Rechnung zu deiner Bestellung {{ order.number }} als PDF. Falls "
        "Firmenname oder USt-IdNr. darauf stehen sollen, schick mir einfach die Angaben, dann "
        "stelle ich sie neu aus.",
    ),
    _reply(
        "size-guide",
        "de",
        "Größentabelle Bettwäsche",
        "unsere Spannbettlaken haben einen Steg von 30 cm und passen auf Matratzen bis 25 cm "
        "Höhe. Diese Größen gehören zusammen:\n\n"
        "- Matratze 90×200 cm: Bettbezug 135×200 cm\n"
        "- Matratze 140×200 oder 160×200 cm: Bettbezug 200×200 cm\n"
        "- Matratze 180×200 cm: Bettbezug 240×220 cm\n\n"
        "Unser Leinen ist vorgewaschen und läuft bei 40 °C höchstens 2 % ein.",
    ),
    _reply(
        "discount-code",
        "de",
        "Rabattcode funktioniert nicht",
        "entschuldige, dass der Code nicht funktioniert hat. Rabattcodes lassen sich nicht mit "
        "bereits reduzierten Artikeln kombinieren. Als Ausgleich habe ich dir einen "
        "persönlichen Code angelegt: Mit SORRY15-{{ customer.first_name }} bekommst du 14 Tage "
        "lang 15 % auf den ganzen Warenkorb.",
    ),
    _reply(
        "address-change",
        "de",
        "Lieferadresse geändert",
        "kein Problem, ich habe die Lieferadresse für deine Bestellung {{ order.number }} "
        "geändert. Sobald sie verschickt ist, bekommst du eine E-Mail mit der Sendungsnummer.",
    ),
    _reply(
        "thanks",
        "de",
        "Danke für deine lieben Worte",
        "vielen Dank, dass du dir die Zeit für diese Nachricht genommen hast, das hat uns den "
        "Tag versüßt! Ich habe sie gleich an das ganze Team weitergegeben.",
    ),
    _reply(
        "birthday-greeting",
        "de",
        "Alles Gute zum Geburtstag",
        "das ganze Team von {{ shop.name }} wünscht dir alles Gute zum Geburtstag! Zur Feier "
        "des Tages übernehmen wir bei deiner nächsten Bestellung in diesem Monat die "
        "Versandkosten.",
    ),
    _article(
        "return-policy",
        "de",
        "Rückgabe und Erstattung",
        "Unbenutzte Artikel kannst du innerhalb von 30 Tagen nach Erhalt zurückschicken.\n\n"
        "- Die Rücksendung ist kostenlos: Das Retourenetikett kannst du unter "
        f"{RETURNS_URL} ausdrucken.\n"
        "- Leg bitte einen Zettel mit deiner Bestellnummer ins Paket.\n"
        "- Wir erstatten den Betrag innerhalb von 3 Werktagen nach Eingang der Rücksendung, "
        "und zwar über die Zahlungsart, mit der du bezahlt hast.\n"
        "- Ist etwas kaputt angekommen? Schick uns ein Foto, dann bekommst du Ersatz oder dein "
        "Geld zurück. Den beschädigten Artikel musst du nicht zurückschicken.\n\n"
        "Alle Details findest du in unseren Rückgabebedingungen: "
        "{{ shop.return_policy_link }}",
    ),
    # French
    _reply(
        "where-is-my-order",
        "fr",
        "Où est ma commande ?",
        "Merci pour votre message. Votre commande {{ order.number }} a été confiée à "
        "{{ order.carrier }} et elle est en route. Le numéro de suivi est "
        "{{ order.tracking_number }} ; vous pouvez suivre le colis ici :\n"
        "{{ order.tracking_link }}\n\n"
        "Si rien ne bouge d'ici deux jours ouvrés, répondez simplement à ce message et je "
        "relancerai le transporteur.",
    ),
    _reply(
        "return-label",
        "fr",
        "Étiquette de retour",
        "Bien sûr : vous disposez de 30 jours pour retourner tout article non utilisé. Vous "
        f"pouvez imprimer votre étiquette de retour gratuite ici :\n{RETURNS_URL}\n\n"
        "Merci de glisser dans le colis un mot indiquant le numéro de commande "
        "{{ order.number }} ; nous vous remboursons sous 3 jours ouvrés après réception.",
    ),
    _reply(
        "broken-item-replacement",
        "fr",
        "Article cassé : remplacement en route",
        "Nous sommes vraiment désolés que votre colis soit arrivé endommagé. Nous vous "
        "envoyons gratuitement un article de remplacement ; inutile de nous renvoyer l'article "
        "cassé.\n\n"
        "Vous pouvez suivre le nouveau colis ({{ order.carrier }}) ici :\n"
        "{{ order.tracking_link }}",
    ),
    _reply(
        "missing-item",
        "fr",
        "Article manquant : envoi séparé",
        "Merci de nous avoir prévenus, et toutes nos excuses : l'article « {{ ask.item }} » "
        "manquait dans votre colis (commande {{ order.number }}). Nous vous l'envoyons "
        "séparément, sans frais, et vous recevrez un e-mail avec le numéro de suivi dès son "
        "expédition.",
        ask=(Ask("item", "Quel article manque dans le colis ?", "order.items"),),
    ),
    _reply(
        "invoice-copy",
        "fr",
        "Copie de la facture",
        "Vous trouverez ci-joint la facture de votre commande {{ order.number }} en PDF. Si "
        "elle doit être établie au nom de votre société, avec raison sociale et numéro de TVA, "
        "répondez-moi simplement en m'indiquant ces informations et je vous enverrai une "
        "nouvelle facture.",
    ),
    _reply(
        "size-guide",
        "fr",
        "Guide des tailles du linge de lit",
        "Nos draps-housses ont un bonnet de 30 cm et conviennent aux matelas jusqu'à 25 cm "
        "d'épaisseur. Voici les tailles qui vont ensemble :\n\n"
        "- Matelas 90×200 cm : housse de couette 135×200 cm\n"
        "- Matelas 140×200 ou 160×200 cm : housse de couette 200×200 cm\n"
        "- Matelas 180×200 cm : housse de couette 240×220 cm\n\n"
        "Notre lin est prélavé et ne rétrécit pas de plus de 2 % à 40 °C.",
    ),
    _reply(
        "discount-code",
        "fr",
        "Code promo qui ne fonctionne pas",
        "Nous sommes désolés que le code n'ait pas fonctionné. Les codes promo ne se cumulent "
        "pas avec les articles déjà soldés. Voici un code personnel qui vous donne 15 % de "
        "remise sur tout votre panier, valable 14 jours : SORRY15-{{ customer.first_name }}",
    ),
    _reply(
        "address-change",
        "fr",
        "Adresse de livraison modifiée",
        "Aucun souci : j'ai modifié l'adresse de livraison de votre commande "
        "{{ order.number }}. Vous recevrez un e-mail de suivi dès son expédition.",
    ),
    _reply(
        "thanks",
        "fr",
        "Merci pour votre gentil mot",
        "Merci infiniment d'avoir pris le temps de nous écrire, cela nous a fait très "
        "plaisir ! J'ai transmis votre message à toute l'équipe.",
    ),
    _reply(
        "birthday-greeting",
        "fr",
        "Joyeux anniversaire",
        "Toute l'équipe de {{ shop.name }} vous souhaite un très joyeux anniversaire ! Pour "
        "fêter ça, la livraison de votre prochaine commande passée ce mois-ci vous est "
        "offerte.",
    ),
    _article(
        "return-policy",
        "fr",
        "Retours et remboursements",
        "Vous pouvez retourner tout article non utilisé dans les 30 jours suivant la "
        "livraison.\n\n"
        f"- Le retour est gratuit : imprimez une étiquette prépayée sur {RETURNS_URL}\n"
        "- Merci de glisser dans le colis un mot indiquant votre numéro de commande.\n"
        "- Nous vous remboursons sur votre moyen de paiement d'origine sous 3 jours ouvrés "
        "après réception du colis.\n"
        "- Un article est arrivé cassé ? Envoyez-nous une photo : nous vous enverrons un "
        "article de remplacement ou nous vous rembourserons. Inutile de nous renvoyer "
        "l'article cassé.\n\n"
        "Notre politique de retour complète est disponible ici : {{ shop.return_policy_link }}",
    ),
    # Italian
    _reply(
        "where-is-my-order",
        "it",
        "Dov'è il mio ordine?",
        "grazie per averci scritto. Il Suo ordine {{ order.number }} è stato affidato a "
        "{{ order.carrier }} ed è in viaggio. Il codice di tracciamento è "
        "{{ order.tracking_number }}; può seguire la spedizione qui:\n"
        "{{ order.tracking_link }}\n\n"
        "Se entro due giorni lavorativi non ci sono novità, risponda pure a questo messaggio e "
        "solleciterò il corriere.",
    ),
    _reply(
        "return-label",
        "it",
        "Etichetta di reso",
        "certamente: ha 30 giorni di tempo per restituire gli articoli non usati. Può "
        f"stampare l'etichetta di reso gratuita qui:\n{RETURNS_URL}\n\n"
        "Inserisca nel pacco un biglietto con il numero d'ordine {{ order.number }}; "
        "effettuiamo il rimborso entro 3 giorni lavorativi dalla ricezione.",
    ),
    _reply(
        "broken-item-replacement",
        "it",
        "Articolo rotto: sostituzione in arrivo",
        "ci dispiace molto che il pacco sia arrivato danneggiato. Le spediamo gratuitamente un "
        "articolo sostitutivo; non serve restituire quello rotto.\n\n"
        "Può seguire il nuovo pacco ({{ order.carrier }}) qui:\n{{ order.tracking_link }}",
    ),
    _reply(
        "missing-item",
        "it",
        "Articolo mancante: spedito a parte",
        "grazie per avercelo segnalato e ci scusiamo per l'inconveniente: nel pacco "
        "dell'ordine {{ order.number }} mancava l'articolo «{{ ask.item }}». Glielo spediamo "
        "a parte, senza alcun costo, e riceverà un'e-mail con il codice di tracciamento non "
        "appena sarà partito.",
        ask=(Ask("item", "Quale articolo manca nel pacco?", "order.items"),),
    ),
    _reply(
        "invoice-copy",
        "it",
        "Copia della fattura",
        "in allegato trova la fattura del Suo ordine {{ order.number }} in PDF. Se deve "
        "essere intestata alla Sua azienda, con ragione sociale e partita IVA, mi risponda "
        "pure con i dati e la emetterò di nuovo.",
    ),
    _reply(
        "size-guide",
        "it",
        "Guida alle misure della biancheria da letto",
        "i nostri lenzuoli con angoli hanno una balza di 30 cm e vanno bene per materassi "
        "alti fino a 25 cm. Ecco quale misura di copripiumino abbinare a ogni materasso:\n\n"
        "- Materasso 90×200 cm: copripiumino 135×200 cm\n"
        "- Materasso 140×200 o 160×200 cm: copripiumino 200×200 cm\n"
        "- Materasso 180×200 cm: copripiumino 240×220 cm\n\n"
        "Il nostro lino è prelavato e a 40 °C si restringe al massimo del 2%.",
    ),
    _reply(
        "discount-code",
        "it",
        "Il codice sconto non funziona",
        "ci dispiace che il codice non abbia funzionato. I codici sconto non si possono "
        "combinare con articoli già scontati. Ecco per Lei un codice personale con il 15% di "
        "sconto su tutto il carrello, valido 14 giorni: SORRY15-{{ customer.first_name }}",
    ),
    _reply(
        "address-change",
        "it",
        "Indirizzo di consegna modificato",
        "nessun problema: ho modificato l'indirizzo di consegna del Suo ordine "
        "{{ order.number }}. Riceverà un'e-mail con il tracciamento appena verrà spedito.",
    ),
    _reply(
        "thanks",
        "it",
        "Grazie per le Sue belle parole",
        "grazie di cuore per aver trovato il tempo di scriverci, ci ha fatto davvero piacere! "
        "Ho girato subito il Suo messaggio a tutto il team.",
    ),
    _reply(
        "birthday-greeting",
        "it",
        "Buon compleanno",
        "tutto il team di {{ shop.name }} Le augura un felicissimo compleanno! Per "
        "festeggiare, Le offriamo la spedizione sul prossimo ordine che effettuerà questo "
        "mese.",
    ),
    _article(
        "return-policy",
        "it",
        "Resi e rimborsi",
        "Può restituire gli articoli non usati entro 30 giorni dalla consegna.\n\n"
        f"- Il reso è gratuito: stampi l'etichetta prepagata su {RETURNS_URL}\n"
        "- Inserisca nel pacco un biglietto con il Suo numero d'ordine.\n"
        "- Effettuiamo il rimborso sul metodo di pagamento originale entro 3 giorni "
        "lavorativi dalla ricezione del pacco.\n"
        "- Ha ricevuto un articolo rotto? Ci invii una foto: Le spediremo un articolo "
        "sostitutivo oppure Le rimborseremo l'importo. Non serve restituire l'articolo "
        "rotto.\n\n"
        "Le condizioni di reso complete sono qui: {{ shop.return_policy_link }}",
    ),
    # Spanish
    _reply(
        "where-is-my-order",
        "es",
        "¿Dónde está mi pedido?",
        "Gracias por escribirnos. Su pedido {{ order.number }} ya está en manos de "
        "{{ order.carrier }} y va de camino. El número de seguimiento es "
        "{{ order.tracking_number }} y puede consultar el envío aquí:\n"
        "{{ order.tracking_link }}\n\n"
        "Si en dos días laborables no hay novedades, responda a este mensaje y me pondré en "
        "contacto con el transportista.",
    ),
    _reply(
        "return-label",
        "es",
        "Etiqueta de devolución",
        "Por supuesto: dispone de 30 días para devolver cualquier artículo sin usar. Puede "
        f"imprimir la etiqueta de devolución gratuita aquí:\n{RETURNS_URL}\n\n"
        "Incluya en el paquete una nota con el número de pedido {{ order.number }}; le "
        "reembolsaremos el importe en un plazo de 3 días laborables desde su recepción.",
    ),
    _reply(
        "broken-item-replacement",
        "es",
        "Artículo roto: sustitución en camino",
        "Sentimos mucho que su paquete haya llegado dañado. Le enviamos un artículo de "
        "sustitución sin ningún coste; no hace falta que nos devuelva el roto.\n\n"
        "Puede seguir el nuevo envío ({{ order.carrier }}) aquí:\n{{ order.tracking_link }}",
    ),
    _reply(
        "missing-item",
        "es",
        "Artículo que falta: se lo enviamos por separado",
        "Gracias por avisarnos y le pedimos disculpas: en su paquete del pedido "
        "{{ order.number }} faltaba el artículo «{{ ask.item }}». Se lo enviamos por separado "
        "de forma gratuita y recibirá un correo con el número de seguimiento en cuanto "
        "salga.",
        ask=(Ask("item", "¿Qué artículo falta en el paquete?", "order.items"),),
    ),
    _reply(
        "invoice-copy",
        "es",
        "Copia de la factura",
        "Le adjunto la factura de su pedido {{ order.number }} en PDF. Si necesita que "
        "aparezcan la razón social o el NIF de su empresa, responda a este mensaje con los "
        "datos y se la vuelvo a emitir.",
    ),
    _reply(
        "size-guide",
        "es",
        "Guía de medidas de ropa de cama",
        "Nuestras sábanas bajeras tienen 30 cm de bajo y se ajustan a colchones de hasta "
        "25 cm de alto. Esta es la medida de funda nórdica que corresponde a cada "
        "colchón:\n\n"
        "- Colchón de 90×200 cm: funda nórdica de 135×200 cm\n"
        "- Colchón de 140×200 o 160×200 cm: funda nórdica de 200×200 cm\n"
        "- Colchón de 180×200 cm: funda nórdica de 240×220 cm\n\n"
        "Nuestro lino está prelavado y a 40 °C encoge como máximo un 2 %.",
    ),
    _reply(
        "discount-code",
        "es",
        "El código de descuento no funciona",
        "Sentimos que el código no haya funcionado. Los códigos de descuento no se pueden "
        "combinar con artículos ya rebajados. Aquí tiene un código personal con un 15 % de "
        "descuento en toda la cesta, válido durante 14 días: SORRY15-{{ customer.first_name }}",
    ),
    _reply(
        "address-change",
        "es",
        "Cambio de dirección de entrega",
        "No se preocupe: he cambiado la dirección de entrega de su pedido {{ order.number }}. "
        "Recibirá un correo con el seguimiento en cuanto se envíe.",
    ),
    _reply(
        "thanks",
        "es",
        "Gracias por sus amables palabras",
        "¡Muchísimas gracias por tomarse el tiempo de escribirnos, nos ha alegrado el día! Ya "
        "he compartido su mensaje con todo el equipo.",
    ),
    _reply(
        "birthday-greeting",
        "es",
        "Feliz cumpleaños",
        "¡Todo el equipo de {{ shop.name }} le desea un muy feliz cumpleaños! Para "
        "celebrarlo, el envío de su próximo pedido de este mes corre de nuestra cuenta.",
    ),
    _article(
        "return-policy",
        "es",
        "Devoluciones y reembolsos",
        "Puede devolver cualquier artículo sin usar en los 30 días siguientes a la "
        "entrega.\n\n"
        f"- La devolución es gratuita: imprima una etiqueta prepagada en {RETURNS_URL}\n"
        "- Incluya en el paquete una nota con su número de pedido.\n"
        "- Le reembolsamos el importe en el método de pago original en un plazo de 3 días "
        "laborables desde la recepción del paquete.\n"
        "- ¿Ha recibido algo roto? Envíenos una foto y le mandaremos un artículo de "
        "sustitución o le devolveremos el dinero. No hace falta que nos devuelva el artículo "
        "roto.\n\n"
        "Puede consultar la política de devoluciones completa aquí: "
        "{{ shop.return_policy_link }}",
    ),
    # Polish
    _reply(
        "where-is-my-order",
        "pl",
        "Gdzie jest moje zamówienie?",
        "dziękujemy za wiadomość. Zamówienie {{ order.number }} zostało przekazane firmie "
        "{{ order.carrier }} i jest już w drodze. Numer przesyłki to "
        "{{ order.tracking_number }}, a jej status można sprawdzić tutaj:\n"
        "{{ order.tracking_link }}\n\n"
        "Jeśli w ciągu dwóch dni roboczych nic się nie zmieni, proszę po prostu odpowiedzieć "
        "na tę wiadomość, a skontaktujemy się z przewoźnikiem.",
    ),
    _reply(
        "return-label",
        "pl",
        "Etykieta zwrotna",
        "oczywiście: nieużywane produkty można zwrócić w ciągu 30 dni. Bezpłatną etykietę "
        f"zwrotną można wydrukować tutaj:\n{RETURNS_URL}\n\n"
        "Prosimy włożyć do paczki kartkę z numerem zamówienia {{ order.number }}. Pieniądze "
        "zwracamy w ciągu 3 dni roboczych od otrzymania paczki.",
    ),
    _reply(
        "broken-item-replacement",
        "pl",
        "Uszkodzony produkt: wymiana w drodze",
        "bardzo przepraszamy, że paczka dotarła uszkodzona. Bezpłatnie wysyłamy nowy produkt, "
        "a uszkodzonego nie trzeba odsyłać.\n\n"
        "Nową przesyłkę ({{ order.carrier }}) można śledzić tutaj:\n{{ order.tracking_link }}",
    ),
    _reply(
        "missing-item",
        "pl",
        "Brakujący produkt zostanie dosłany",
        "dziękujemy za informację i bardzo przepraszamy: w paczce z zamówieniem "
        "{{ order.number }} zabrakło produktu „{{ ask.item }}”. Doślemy go bezpłatnie osobną "
        "paczką, a gdy tylko zostanie wysłana, przyjdzie e-mail z numerem przesyłki.",
        ask=(Ask("item", "Którego produktu brakuje w paczce?", "order.items"),),
    ),
    _reply(
        "invoice-copy",
        "pl",
        "Kopia faktury",
        "w załączniku przesyłamy fakturę do zamówienia {{ order.number }} w formacie PDF. "
        "Jeśli faktura VAT ma być wystawiona na firmę, prosimy o przesłanie nazwy firmy i "
        "numeru NIP, a wystawimy ją ponownie.",
    ),
    _reply(
        "size-guide",
        "pl",
        "Rozmiary pościeli",
        "każde nasze prześcieradło z gumką ma boki o wysokości 30 cm i pasuje na materace o "
        "grubości do 25 cm. Rozmiar prześcieradła odpowiada rozmiarowi materaca, a poszwę na "
        "kołdrę najlepiej dobrać tak:\n\n"
        "- Materac 90×200 cm: poszwa 135×200 cm\n"
        "- Materac 140×200 lub 160×200 cm: poszwa 200×200 cm\n"
        "- Materac 180×200 cm: poszwa 240×220 cm\n\n"
        "Nasz len jest wstępnie prany i w 40 °C kurczy się najwyżej o 2%.",
    ),
    _reply(
        "discount-code",
        "pl",
        "Kod rabatowy nie działa",
        "przepraszamy za problem z kodem rabatowym. Kody rabatowe nie działają na produkty "
        "już przecenione. Przygotowaliśmy osobisty kod, który daje 15% rabatu na cały koszyk "
        "i jest ważny przez 14 dni: SORRY15-{{ customer.first_name }}",
    ),
    _reply(
        "address-change",
        "pl",
        "Zmiana adresu dostawy",
        "nie ma problemu: zmieniliśmy adres dostawy zamówienia {{ order.number }}. Numer "
        "przesyłki przyjdzie e-mailem zaraz po wysyłce.",
    ),
    _reply(
        "thanks",
        "pl",
        "Dziękujemy za miłe słowa",
        "bardzo dziękujemy, że znalazł się czas, żeby do nas napisać – to nam poprawiło "
        "dzień! Przekazaliśmy te słowa całemu zespołowi.",
    ),
    _reply(
        "birthday-greeting",
        "pl",
        "Wszystkiego najlepszego z okazji urodzin",
        "z okazji urodzin cały zespół {{ shop.name }} życzy wszystkiego najlepszego! Żeby "
        "to uczcić, pokrywamy koszt wysyłki kolejnego zamówienia złożonego w tym miesiącu.",
    ),
    _article(
        "return-policy",
        "pl",
        "Zwroty i reklamacje",
        "Nieużywane produkty można zwrócić w ciągu 30 dni od dostawy.\n\n"
        "- Zwrot jest bezpłatny: opłaconą etykietę zwrotną można wydrukować na stronie "
        f"{RETURNS_URL}\n"
        "- Prosimy włożyć do paczki kartkę z numerem zamówienia.\n"
        "- Pieniądze zwracamy na pierwotną metodę płatności w ciągu 3 dni roboczych od "
        "otrzymania paczki.\n"
        "- Otrzymany produkt jest uszkodzony? Wystarczy przesłać nam zdjęcie, a wyślemy nowy "
        "albo zwrócimy pieniądze. Uszkodzonego produktu nie trzeba odsyłać.\n\n"
        "Pełny regulamin zwrotów: {{ shop.return_policy_link }}",
    ),
)


def write_knowledge(folder: Path) -> list[Path]:
    """Write every knowledge file into ``folder`` (created if needed); return those written.

    A file that already exists is never replaced: the shop owner may have edited it. One that
    still holds exactly the demo's text is left alone too, so only new files are returned.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for file in KNOWLEDGE:
        path = folder / file.filename
        try:
            with path.open("xb") as out:  # exclusive: never clobbers a file made meanwhile
                out.write(file.text.encode("utf-8"))
        except FileExistsError:
            continue
        written.append(path)
    return written
