"""Reply templates: the canned answers agents insert, one row per key and language.

Why these: they are the answers the demo's own conversations call for (tracking, return
labels, the broken teapot, invoices …). Every key exists in English; the three most used
also in German, French, Italian, Spanish and Polish. Variables use the ``{{ name }}`` form the
reply service fills in; ``{{ customer.first_name | there }}`` falls back to "there".
"""

from __future__ import annotations

from dataclasses import dataclass

from agentconsole.demo.world import World
from agentconsole.store.models import ReplyTemplate


@dataclass(frozen=True)
class TemplateText:
    key: str
    language: str
    title: str
    body: str
    tags: str


SIGN_EN = "Best wishes,\n{{ agent.name }}\n{{ shop.name }}"

TEMPLATES: tuple[TemplateText, ...] = (
    TemplateText(
        "where-is-my-order",
        "en",
        "Where is my order?",
        "Hi {{ customer.first_name | there }},\n\n"
        "Thanks for getting in touch. Your order {{ order.name }} is on its way with "
        "{{ order.carrier }}. The tracking number is {{ order.tracking_number }} and you can "
        "follow it here:\n{{ order.tracking_url }}\n\n"
        "If it hasn't moved in two working days, just reply and I'll chase it for you.\n\n"
        + SIGN_EN,
        "shipping,tracking",
    ),
    TemplateText(
        "return-label",
        "en",
        "Return label",
        "Hi {{ customer.first_name | there }},\n\n"
        "Of course. You can return anything unused within 30 days. Print your free label "
        "here:\nhttps://demo.lindenhof.example/returns\n\n"
        "Please put a note with {{ order.name }} in the parcel; we refund within 3 working "
        "days of receiving it.\n\n" + SIGN_EN,
        "returns",
    ),
    TemplateText(
        "broken-item-replacement",
        "en",
        "Broken item: replacement on its way",
        "Hi {{ customer.first_name }},\n\n"
        "I'm so sorry your parcel arrived damaged. A replacement is on its way free of charge, "
        "and there is no need to send the broken item back.\n\n"
        "You can follow the new parcel with {{ order.carrier }}: {{ order.tracking_url }}\n\n"
        + SIGN_EN,
        "damaged,replacement",
    ),
    TemplateText(
        "invoice-copy",
        "en",
        "Copy of the invoice",
        "Hi {{ customer.first_name | there }},\n\n"
        "Please find the invoice for {{ order.name }} attached. If you need a company name or "
        "VAT number on it, reply with the details and I'll reissue it.\n\n" + SIGN_EN,
        "invoice",
    ),
    TemplateText(
        "size-guide",
        "en",
        "Bed linen size guide",
        "Hi {{ customer.first_name | there }},\n\n"
        "Our fitted sheets have a 30 cm pocket and fit mattresses up to 25 cm deep. The usual "
        "pairs are:\n"
        "  90×200 cm mattress: duvet cover 135×200 cm\n"
        "  140×200 or 160×200 cm: duvet cover 200×200 cm\n"
        "  180×200 cm: duvet cover 240×220 cm\n\n"
        "Our linen is pre-washed and shrinks at most 2% at 40 °C.\n\n" + SIGN_EN,
        "sizing,pre-sale",
    ),
    TemplateText(
        "discount-code",
        "en",
        "Discount code not working",
        "Hi {{ customer.first_name | there }},\n\n"
        "Sorry the code didn't work. Codes can't be combined with items already on sale. "
        "Here is a personal code for 15% off your basket, valid for 14 days: "
        "SORRY15-{{ customer.first_name }}\n\n" + SIGN_EN,
        "promo",
    ),
    TemplateText(
        "address-change",
        "en",
        "Delivery address changed",
        "Hi {{ customer.first_name | there }},\n\n"
        "No problem: I've changed the delivery address for {{ order.name }}. You'll get a "
        "tracking email as soon as it ships.\n\n" + SIGN_EN,
        "shipping,address-change",
    ),
    TemplateText(
        "thanks",
        "en",
        "Thank you for your kind words",
        "Hi {{ customer.first_name | there }},\n\n"
        "Thank you so much for taking the time to write, it made our day! I've passed your "
        "message on to the team.\n\n" + SIGN_EN,
        "feedback",
    ),
    TemplateText(
        "birthday-greeting",
        "en",
        "Happy birthday",
        "Hi {{ customer.first_name }},\n\n"
        "Everyone at {{ shop.name }} wishes you a very happy birthday! As a small present, "
        "shipping is on us for your next order this month.\n\n" + SIGN_EN,
        "birthday,loyalty",
    ),
    # German
    TemplateText(
        "where-is-my-order",
        "de",
        "Wo ist meine Bestellung?",
        "Hallo {{ customer.first_name }},\n\n"
        "danke für deine Nachricht. Deine Bestellung {{ order.name }} ist mit "
        "{{ order.carrier }} unterwegs. Die Sendungsnummer lautet {{ order.tracking_number }}, "
        "verfolgen kannst du sie hier:\n{{ order.tracking_url }}\n\n"
        "Falls sich in zwei Werktagen nichts tut, antworte einfach, dann hake ich nach.\n\n"
        "Viele Grüße\n{{ agent.name }}\n{{ shop.name }}",
        "shipping,tracking",
    ),
    TemplateText(
        "return-label",
        "de",
        "Retourenetikett",
        "Hallo {{ customer.first_name }},\n\n"
        "klar, unbenutzte Artikel kannst du innerhalb von 30 Tagen zurückschicken. Das "
        "kostenlose Etikett bekommst du hier:\nhttps://demo.lindenhof.example/returns\n\n"
        "Leg bitte einen Zettel mit {{ order.name }} ins Paket; die Erstattung erfolgt "
        "innerhalb von 3 Werktagen nach Eingang.\n\n"
        "Viele Grüße\n{{ agent.name }}\n{{ shop.name }}",
        "returns",
    ),
    TemplateText(
        "broken-item-replacement",
        "de",
        "Beschädigt: Ersatz ist unterwegs",
        "Hallo {{ customer.first_name }},\n\n"
        "es tut mir sehr leid, dass dein Paket beschädigt angekommen ist. Ersatz ist kostenlos "
        "unterwegs, den kaputten Artikel musst du nicht zurückschicken.\n\n"
        "Sendungsverfolgung ({{ order.carrier }}): {{ order.tracking_url }}\n\n"
        "Viele Grüße\n{{ agent.name }}\n{{ shop.name }}",
        "damaged,replacement",
    ),
    # French
    TemplateText(
        "where-is-my-order",
        "fr",
        "Où est ma commande ?",
        "Bonjour {{ customer.first_name }},\n\n"
        "Merci pour votre message. Votre commande {{ order.name }} est en route avec "
        "{{ order.carrier }}. Le numéro de suivi est {{ order.tracking_number }}, consultable "
        "ici :\n{{ order.tracking_url }}\n\n"
        "Si rien ne bouge d'ici deux jours ouvrés, répondez-moi et je relancerai le "
        "transporteur.\n\nBelle journée,\n{{ agent.name }}\n{{ shop.name }}",
        "shipping,tracking",
    ),
    TemplateText(
        "return-label",
        "fr",
        "Étiquette de retour",
        "Bonjour {{ customer.first_name }},\n\n"
        "Bien sûr : vous disposez de 30 jours pour retourner tout article non utilisé. "
        "Imprimez votre étiquette gratuite ici :\nhttps://demo.lindenhof.example/returns\n\n"
        "Merci de glisser un mot avec {{ order.name }} dans le colis ; nous remboursons sous "
        "3 jours ouvrés après réception.\n\nBelle journée,\n{{ agent.name }}\n{{ shop.name }}",
        "returns",
    ),
    TemplateText(
        "broken-item-replacement",
        "fr",
        "Article cassé : remplacement en route",
        "Bonjour {{ customer.first_name }},\n\n"
        "Je suis vraiment désolée que votre colis soit arrivé endommagé. Un remplacement vous "
        "est envoyé gratuitement, inutile de nous renvoyer l'article cassé.\n\n"
        "Suivi ({{ order.carrier }}) : {{ order.tracking_url }}\n\n"
        "Belle journée,\n{{ agent.name }}\n{{ shop.name }}",
        "damaged,replacement",
    ),
    # Italian
    TemplateText(
        "where-is-my-order",
        "it",
        "Dov'è il mio ordine?",
        "Buongiorno {{ customer.first_name }},\n\n"
        "grazie per averci scritto. Il Suo ordine {{ order.name }} è in viaggio con "
        "{{ order.carrier }}. Il codice di tracciamento è {{ order.tracking_number }}, può "
        "seguirlo qui:\n{{ order.tracking_url }}\n\n"
        "Se entro due giorni lavorativi non ci sono novità, mi risponda e sollecito il "
        "corriere.\n\nUn caro saluto,\n{{ agent.name }}\n{{ shop.name }}",
        "shipping,tracking",
    ),
    TemplateText(
        "return-label",
        "it",
        "Etichetta di reso",
        "Buongiorno {{ customer.first_name }},\n\n"
        "certamente: ha 30 giorni per restituire gli articoli non usati. Stampi l'etichetta "
        "gratuita qui:\nhttps://demo.lindenhof.example/returns\n\n"
        "Inserisca nel pacco un biglietto con {{ order.name }}; rimborsiamo entro 3 giorni "
        "lavorativi dalla ricezione.\n\nUn caro saluto,\n{{ agent.name }}\n{{ shop.name }}",
        "returns",
    ),
    TemplateText(
        "broken-item-replacement",
        "it",
        "Articolo rotto: sostituzione in arrivo",
        "Buongiorno {{ customer.first_name }},\n\n"
        "mi dispiace molto che il pacco sia arrivato danneggiato. Le stiamo spedendo una "
        "sostituzione gratuita; non serve restituire l'articolo rotto.\n\n"
        "Tracciamento ({{ order.carrier }}): {{ order.tracking_url }}\n\n"
        "Un caro saluto,\n{{ agent.name }}\n{{ shop.name }}",
        "damaged,replacement",
    ),
    # Spanish
    TemplateText(
        "where-is-my-order",
        "es",
        "¿Dónde está mi pedido?",
        "Hola, {{ customer.first_name }}:\n\n"
        "Gracias por escribirnos. Su pedido {{ order.name }} va de camino con "
        "{{ order.carrier }}. El número de seguimiento es {{ order.tracking_number }} y puede "
        "consultarlo aquí:\n{{ order.tracking_url }}\n\n"
        "Si en dos días laborables no se mueve, respóndame y lo reclamo.\n\n"
        "Un saludo cordial,\n{{ agent.name }}\n{{ shop.name }}",
        "shipping,tracking",
    ),
    TemplateText(
        "return-label",
        "es",
        "Etiqueta de devolución",
        "Hola, {{ customer.first_name }}:\n\n"
        "Por supuesto: dispone de 30 días para devolver cualquier artículo sin usar. Imprima "
        "la etiqueta gratuita aquí:\nhttps://demo.lindenhof.example/returns\n\n"
        "Incluya una nota con {{ order.name }} en el paquete; reembolsamos en un máximo de 3 "
        "días laborables desde la recepción.\n\n"
        "Un saludo cordial,\n{{ agent.name }}\n{{ shop.name }}",
        "returns",
    ),
    TemplateText(
        "broken-item-replacement",
        "es",
        "Artículo roto: sustitución en camino",
        "Hola, {{ customer.first_name }}:\n\n"
        "Siento mucho que su paquete llegara dañado. Le enviamos una sustitución sin coste; no "
        "hace falta devolver el artículo roto.\n\n"
        "Seguimiento ({{ order.carrier }}): {{ order.tracking_url }}\n\n"
        "Un saludo cordial,\n{{ agent.name }}\n{{ shop.name }}",
        "damaged,replacement",
    ),
    # Polish
    TemplateText(
        "where-is-my-order",
        "pl",
        "Gdzie jest moje zamówienie?",
        "Dzień dobry,\n\n"
        "dziękujemy za wiadomość. Zamówienie {{ order.name }} jest w drodze (przewoźnik: "
        "{{ order.carrier }}). Numer przesyłki to {{ order.tracking_number }}, można ją śledzić "
        "tutaj:\n{{ order.tracking_url }}\n\n"
        "Jeśli w ciągu dwóch dni roboczych nic się nie zmieni, proszę odpisać, a skontaktuję "
        "się z przewoźnikiem.\n\nPozdrawiam serdecznie\n{{ agent.name }}\n{{ shop.name }}",
        "shipping,tracking",
    ),
    TemplateText(
        "return-label",
        "pl",
        "Etykieta zwrotna",
        "Dzień dobry,\n\n"
        "oczywiście: nieużywane produkty można zwrócić w ciągu 30 dni. Bezpłatną etykietę "
        "można wydrukować tutaj:\nhttps://demo.lindenhof.example/returns\n\n"
        "Proszę włożyć do paczki kartkę z numerem {{ order.name }}; pieniądze zwracamy w ciągu "
        "3 dni roboczych od otrzymania paczki.\n\n"
        "Pozdrawiam serdecznie\n{{ agent.name }}\n{{ shop.name }}",
        "returns",
    ),
    TemplateText(
        "broken-item-replacement",
        "pl",
        "Uszkodzony produkt: wymiana w drodze",
        "Dzień dobry,\n\n"
        "bardzo przepraszamy, że paczka dotarła uszkodzona. Nowy produkt wysłaliśmy "
        "bezpłatnie; uszkodzonego nie trzeba odsyłać.\n\n"
        "Śledzenie przesyłki ({{ order.carrier }}): {{ order.tracking_url }}\n\n"
        "Pozdrawiam serdecznie\n{{ agent.name }}\n{{ shop.name }}",
        "damaged,replacement",
    ),
)


def build_templates(world: World) -> None:
    world.templates.extend(
        ReplyTemplate(
            id=world.next_id("template"),
            key=t.key,
            language=t.language,
            title=t.title,
            body=t.body,
            tags=t.tags,
        )
        for t in TEMPLATES
    )
