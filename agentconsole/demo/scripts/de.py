"""German wording: customers in Germany, answered by Mara or Tomasz (the shop says "du")."""

from __future__ import annotations

from agentconsole.demo.scripts import LanguageScript, Scenario

SCRIPT = LanguageScript(
    language="de",
    customer_greetings=("Hallo,", "Guten Tag,", "Liebes Lindenhof-Team,", "Hallo zusammen,", ""),
    customer_signoffs=(
        "Viele Grüße\n{full}",
        "Danke und viele Grüße\n{first}",
        "LG {first}",
        "Mit freundlichen Grüßen\n{full}",
        "Beste Grüße\n{first}",
    ),
    agent_greeting="Hallo {first},",
    agent_signoff="Viele Grüße\n{agent}\n{shop}",
    nudges=(
        "Gibt es hierzu schon etwas Neues? Ich habe noch keine Antwort bekommen.",
        "Ich wollte noch einmal nachhaken: Könnt ihr euch bitte melden?",
    ),
    thanks=("Super, vielen Dank!", "Perfekt, danke für die schnelle Hilfe."),
    auto_reply_subject="Abwesenheitsnotiz: {subject}",
    auto_reply_body=(
        "Vielen Dank für Ihre Nachricht. Ich bin bis Ende der Woche nicht im Büro und lese "
        "meine E-Mails nur unregelmäßig. Ich melde mich nach meiner Rückkehr.\n\n{full}"
    ),
    products={
        "LN-TCL": "Leinentischdecke",
        "LN-DUV": "Bettbezug aus Leinen",
        "LN-FIT": "Spannbettlaken aus Leinen",
        "LN-APR": "Leinenschürze",
        "LN-PIL": "Kissenbezüge aus Leinen",
        "WF-TWL": "Waffelpiqué-Badetuch",
        "LN-CUS": "Kissenhülle aus Leinen",
        "LN-NAP": "Leinenservietten",
    },
    scenarios={
        "wismo": Scenario(
            subjects=(
                "Wo bleibt meine Bestellung {order}?",
                "Bestellung {order} noch nicht angekommen",
                "Lieferstatus {order}",
            ),
            beats=(
                (
                    "ich habe vor {days} Tagen die Bestellung {order} aufgegeben, aber bisher "
                    "ist nichts angekommen. Die Sendungsverfolgung zeigt seit Tagen denselben "
                    "Stand. Könnt ihr bitte nachsehen?",
                    "Könnt ihr mir sagen, wo meine Bestellung {order} gerade ist? Es ist ein "
                    "Geschenk und ich bräuchte es bis zum Wochenende.",
                    "Meine Bestellung {order} sollte diese Woche kommen, ist aber noch nicht da. "
                    "Wurde sie überhaupt schon verschickt?",
                ),
                (
                    "danke für deine Nachricht. Deine Bestellung {order} hat unser Lager "
                    "verlassen und ist bei {carrier}. Die Sendungsnummer lautet {tracking}, "
                    "verfolgen kannst du sie hier:\n{tracking_url}\n\nIn der Regel dauert die "
                    "Zustellung 1–3 Werktage. Falls sich bis morgen Abend nichts tut, sag "
                    "Bescheid, dann stelle ich einen Nachforschungsauftrag bei {carrier}.",
                    "entschuldige die Wartezeit! Ich habe nachgesehen: {order} wurde an "
                    "{carrier} übergeben und ist unterwegs zu dir (Sendungsnummer "
                    "{tracking}).\n\nAktueller Status: {tracking_url}\n\nIch behalte das Paket "
                    "ebenfalls im Blick.",
                ),
                (
                    "Danke. In der Sendungsverfolgung steht aber seit drei Tagen nur "
                    "„in Zustellung“. Ist das Paket verloren gegangen?",
                    "Der Link zeigt seit dem Versand keinen neuen Stand. Muss ich mir Sorgen "
                    "machen?",
                ),
                (
                    "ich habe mit {carrier} gesprochen: Das Paket lag im Verteilzentrum fest und "
                    "ist jetzt wieder unterwegs, es sollte in den nächsten zwei Tagen bei dir "
                    "sein. Falls nicht, schicken wir sofort Ersatz, ohne auf die Klärung zu "
                    "warten.",
                    "{carrier} hat bestätigt, dass das Paket in deinem Zustellbezirk ist und "
                    "morgen ausgeliefert wird. Ich habe mir {order} notiert: Sollte noch etwas "
                    "schiefgehen, schicken wir es auf unsere Kosten neu.",
                ),
            ),
        ),
        "returns": Scenario(
            subjects=(
                "Rücksendung zu Bestellung {order}",
                "Retoure {order}",
                "Wie kann ich etwas zurückschicken?",
            ),
            beats=(
                (
                    "ich möchte den Artikel „{product}“ ({variant}) aus der Bestellung {order} "
                    "zurückschicken. Er ist wunderschön, passt aber leider nicht. Wie gehe ich "
                    "vor?",
                    "der Artikel „{product}“ aus {order} passt farblich leider nicht zu unserer "
                    "Einrichtung. Kann ich ihn gegen Erstattung zurückgeben?",
                ),
                (
                    "klar, unbenutzte Artikel kannst du innerhalb von 30 Tagen zurückschicken. "
                    "Das kostenlose Retourenetikett bekommst du hier:\n{returns_url}\n\nLeg bitte "
                    "einen Zettel mit der Bestellnummer {order} ins Paket. Sobald es bei uns ist, "
                    "erstatten wir dir den Betrag.",
                    "kein Problem. Ich habe die Retoure für {order} angelegt: Unter {returns_url} "
                    "kannst du sie starten und bekommst das Etikett per E-Mail. Die Erstattung "
                    "erfolgt innerhalb von 3 Werktagen nach Eingang.",
                ),
                (
                    "Danke, das Paket ist gestern zur Post gegangen. Wann kommt die Erstattung?",
                    "Ist unterwegs zu euch. Braucht ihr sonst noch etwas von mir?",
                ),
                (
                    "deine Rücksendung ist heute angekommen und ich habe dir {amount} erstattet. "
                    "Je nach Bank dauert es ein paar Tage, bis der Betrag sichtbar ist.",
                    "alles in einwandfreiem Zustand angekommen, die Erstattung über {amount} ist "
                    "veranlasst. Melde dich gern, wenn du Hilfe bei einer anderen Größe "
                    "brauchst.",
                ),
            ),
        ),
        "sizing": Scenario(
            subjects=(
                "Frage zu den Größen der Bettwäsche",
                "Welche Größe passt zu meinem Bett?",
                "Spannbettlaken: welche Größe?",
            ),
            beats=(
                (
                    "unsere Matratze ist {bed} cm groß. Welches Spannbettlaken und welchen "
                    "Bettbezug sollte ich bestellen? Das Laken soll nicht zu locker sitzen.",
                    "bevor ich bestelle: Läuft eure Leinenbettwäsche beim Waschen ein? Unser Bett "
                    "ist {bed} cm und ich bin unsicher, welche Größe ich nehmen soll.",
                ),
                (
                    "gute Frage! Für eine Matratze mit {bed} cm nimmst du das Spannbettlaken in "
                    "{fitted}. Es hat einen Steg von 30 cm und hält auf Matratzen bis 25 cm "
                    "Höhe. Beim Bettbezug passt {duvet}.\n\nUnser Leinen ist vorgewaschen und "
                    "läuft bei 40 °C höchstens etwa 2 % ein.",
                    "das Spannbettlaken in {fitted} ist genau für {bed} cm gemacht, und die "
                    "meisten kombinieren es mit dem Bettbezug in {duvet}. Das Leinen ist "
                    "vorgewaschen, also kaum Einlaufen, wenn du bei 40 °C wäschst und den Trockner "
                    "weglässt.",
                ),
                (
                    "Perfekt, danke. Gibt es die Kissenbezüge in der passenden Farbe?",
                    "Danke! Noch eine Frage: Hat der Bettbezug Knöpfe oder einen Reißverschluss?",
                ),
                (
                    "ja, jede Farbe gibt es auch als Kissenbezug, im Zweierpack (50 × 75 cm und "
                    "80 × 80 cm). Viel Freude mit der neuen Bettwäsche!",
                    "er hat Knöpfe aus Kokosnussschale, die halten in der Wäsche viel länger "
                    "als Reißverschlüsse. Melde dich gern, wenn noch etwas ist.",
                ),
            ),
        ),
        "teapot": Scenario(
            subjects=(
                "Teekanne kaputt angekommen",
                "Zerbrochene Teekanne – Bestellung {order}",
                "Beschädigte Ware in {order}",
            ),
            beats=(
                (
                    "ich habe gerade die Bestellung {order} ausgepackt und die Teekanne aus "
                    "Steinzeug ist kaputt: Die Tülle ist abgebrochen, überall Scherben im "
                    "Karton. Der Karton selbst sah unbeschädigt aus. Fotos hänge ich an.",
                    "leider ist die Teekanne aus {order} zerbrochen angekommen. Der Deckel hat "
                    "einen Sprung und der Henkel ist ab. Sehr schade, sie war als Geschenk "
                    "gedacht.",
                ),
                (
                    "das tut mir sehr leid, so sollte unsere Teekanne nicht ankommen. Ich habe "
                    "dir kostenlos Ersatz geschickt, Bestellung {replacement}; sie geht morgen "
                    "raus. Die kaputte Kanne musst du nicht zurückschicken.",
                    "wie ärgerlich, entschuldige bitte! Eine neue Teekanne ist als Bestellung "
                    "{replacement} kostenlos zu dir unterwegs. Die Scherben kannst du einfach "
                    "entsorgen.",
                ),
                (
                    "Das glaube ich jetzt nicht: Der Ersatz ({replacement}) ist auch kaputt "
                    "angekommen. Wieder die Tülle. Stimmt mit der Verpackung etwas nicht?",
                    "Die zweite Kanne hat ebenfalls einen Sprung. Das ist jetzt das zweite Mal, "
                    "ich weiß nicht, ob ich es ein drittes Mal versuchen möchte.",
                ),
                (
                    "das tut mir wirklich leid. Du bist leider nicht die einzige Person, der das "
                    "passiert ist, deshalb verschicken wir die Kanne erst wieder, wenn unser "
                    "neuer doppelwandiger Karton da ist. Ich habe dir {amount} für die Teekanne "
                    "aus {order} erstattet. Wenn du es später noch einmal versuchen möchtest, "
                    "lege ich dir eine zurück.",
                    "du hast völlig recht, entschuldige bitte. Wir stellen die Verpackung der "
                    "Teekannen noch diesen Monat um. Ich habe dir die Kanne voll erstattet "
                    "({amount}). Soll ich dir eine aus der ersten Lieferung in der neuen "
                    "Verpackung reservieren?",
                ),
                (
                    "Danke für die Erstattung. Ja, bitte leg mir eine zurück, das Design gefällt "
                    "mir wirklich.",
                    "Okay, danke. Sagt Bescheid, wenn die neue Verpackung da ist, dann versuche "
                    "ich es noch einmal.",
                ),
                (
                    "erledigt: Eine Kanne in deiner Farbe ist reserviert, und ich melde mich, "
                    "sobald sie im neuen Karton rausgeht. Danke für deine Geduld!",
                    "mache ich. Du stehst auf der Liste, und die Kanne geht auf uns. Danke, dass "
                    "du so geduldig bist.",
                ),
            ),
        ),
        "invoice": Scenario(
            subjects=(
                "Rechnung zu Bestellung {order}",
                "Rechnung mit USt-IdNr. benötigt",
                "Rechnungskopie {order}",
            ),
            beats=(
                (
                    "könntet ihr mir bitte eine Rechnung für die Bestellung {order} mit unseren "
                    "Firmendaten schicken? {company}, USt-IdNr. {vat_id}.",
                    "ich finde die Rechnung zu {order} nicht mehr in meinen E-Mails. Könnt ihr "
                    "sie mir bitte noch einmal als PDF schicken?",
                ),
                (
                    "gern, die Rechnung zu {order} hängt als PDF an. Du kannst sie auch jederzeit "
                    "auf deiner Bestellseite herunterladen:\n{status_url}",
                    "hier ist sie: Die Rechnung zu {order} hängt an. Wenn Firmenname oder "
                    "USt-IdNr. geändert werden sollen, sag Bescheid, dann stelle ich sie neu aus.",
                ),
                (
                    "Danke! Könnt ihr noch unsere Bestellnummer PO-{po} ergänzen?",
                    "Danke. Da steht allerdings noch unsere alte Adresse drauf. Könnt ihr die "
                    "neue Büroadresse eintragen?",
                ),
                (
                    "kein Problem, die aktualisierte Rechnung hängt an.",
                    "erledigt, die korrigierte Rechnung hängt an. Ich habe auch dein Kundenkonto "
                    "angepasst, damit künftige Rechnungen stimmen.",
                ),
            ),
        ),
        "promo": Scenario(
            subjects=(
                "Rabattcode funktioniert nicht",
                "Problem mit dem Code {code}",
                "Frage zum Sale",
            ),
            beats=(
                (
                    "ich möchte den Code {code} aus eurem Newsletter einlösen, aber an der Kasse "
                    "heißt es, er sei ungültig. Ist er abgelaufen?",
                    "gilt der Code {code} auch für reduzierte Artikel? Bei den Servietten in "
                    "meinem Warenkorb wird er nicht abgezogen.",
                ),
                (
                    "entschuldige! {code} lässt sich nicht mit bereits reduzierten Artikeln "
                    "kombinieren, deshalb hat die Kasse ihn abgelehnt. Ich habe dir stattdessen "
                    "einen persönlichen Code angelegt: Mit {new_code} bekommst du bis Monatsende "
                    "15 % auf den ganzen Warenkorb.",
                    "danke für den Hinweis. {code} ist am Sonntag abgelaufen, aber du sollst "
                    "nicht leer ausgehen: Mit {new_code} bekommst du denselben Rabatt, 14 Tage "
                    "lang gültig.",
                ),
                (
                    "Hat geklappt, danke! Bestellung ist raus.",
                    "Super, danke. Bleibt der Versand damit trotzdem kostenlos?",
                ),
                (
                    "Wie schön, viel Freude mit deinen neuen Lieblingsstücken!",
                    "ja, ab 75 € nach Rabatt ist der Versand kostenlos, du bist also auf der "
                    "sicheren Seite.",
                ),
            ),
        ),
        "address": Scenario(
            subjects=(
                "Adressänderung für Bestellung {order}",
                "Falsche Lieferadresse bei {order}",
                "Bitte {order} an andere Adresse schicken",
            ),
            beats=(
                (
                    "mir ist gerade aufgefallen, dass bei der Bestellung {order} noch meine alte "
                    "Adresse hinterlegt ist. Könnt ihr sie bitte an diese Adresse "
                    "schicken:\n\n{address}\n\nEntschuldigt die Umstände!",
                    "könnt ihr die Lieferadresse für {order} ändern? Ich bin die ganze Woche "
                    "nicht zu Hause, bitte liefert an:\n{address}",
                ),
                (
                    "gar kein Problem. Die Bestellung war noch nicht unterwegs, ich habe die "
                    "Lieferadresse für {order} geändert auf:\n\n{address}\n\nDu bekommst eine "
                    "E-Mail mit der Sendungsnummer, sobald sie verschickt ist.",
                    "gerade noch rechtzeitig! {order} geht jetzt an die neue Adresse und wird "
                    "innerhalb eines Werktags verschickt.",
                ),
                (
                    "Danke! Geht die Versandbestätigung an dieselbe E-Mail-Adresse wie vorher?",
                    "Super. Könnt ihr die Adresse auch in meinem Kundenkonto ändern?",
                ),
                (
                    "ja, die Versandbestätigung geht an die Adresse, mit der du bestellt hast. "
                    "Alles erledigt!",
                    "erledigt: In deinem Konto ist jetzt die neue Adresse als Standard hinterlegt.",
                ),
            ),
        ),
        "thanks": Scenario(
            subjects=("Vielen Dank!", "Schönes Paket", "Einfach mal danke"),
            beats=(
                (
                    "ich wollte nur sagen: Der Artikel „{product}“ ist heute angekommen und in "
                    "echt noch schöner als auf den Fotos. Auch die Verpackung war toll. Danke!",
                    "die Bestellung {order} kam heute Morgen an. Wunderbare Qualität, ich "
                    "bestelle bestimmt wieder, spätestens für die Weihnachtsgeschenke.",
                ),
                (
                    "vielen Dank, dass du dir die Zeit für diese Nachricht genommen hast, das hat "
                    "uns den Tag versüßt! Viel Freude damit.",
                    "wie lieb, danke! Ich habe deine Nachricht an das Team weitergegeben, das "
                    "dein Paket gepackt hat.",
                ),
            ),
        ),
    },
)
