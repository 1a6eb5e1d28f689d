"""Words the large demo needs beyond the hand-written shop: names, follow-ups, notes.

Why apart from ``scripts/``: the small demo's scripts are reviewed texts, one per scenario beat;
a generated shop with thirty thousand threads also needs names for twenty thousand customers
and a few generic exchanges to make threads longer than a script. They live here, per language,
so a native speaker can extend them without touching the generator.

Customer texts keep the scripts' rule: no first-person past tense, so any customer can say them
(Polish, French, Italian and Spanish participles agree with the writer). Notes and contact
summaries are in English: they are the agents' words, not the customers'.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Thomas", "Grace",
        "William", "Sophie", "Daniel", "Lily", "Samuel", "Ella", "Joseph", "Freya", "Alfie",
        "Evie", "Henry", "Chloe", "Callum", "Niamh", "Ewan", "Aoife", "Owen", "Megan", "Liam",
        "Rosie", "Arthur", "Poppy", "Finlay", "Imogen", "Conor", "Harriet",
    ),
    "de": (
        "Lena", "Jonas", "Hanna", "Felix", "Marie", "Maximilian", "Sophie", "Paul", "Emma",
        "Leon", "Mia", "Finn", "Laura", "Niklas", "Julia", "Florian", "Katharina", "Sebastian",
        "Sarah", "Moritz", "Anna", "Tim", "Lisa", "Jan", "Johanna", "Philipp", "Clara", "Stefan",
        "Birgit", "Andreas", "Ute", "Michael", "Sandra", "Thomas", "Petra", "Klaus",
    ),
    "fr": (
        "Camille", "Louis", "Léa", "Hugo", "Manon", "Gabriel", "Chloé", "Arthur", "Inès", "Jules",
        "Sarah", "Lucas", "Juliette", "Nathan", "Émilie", "Mathis", "Clémence", "Antoine",
        "Margaux", "Thomas", "Pauline", "Julien", "Aurélie", "Nicolas", "Sophie", "Maxime",
        "Océane", "Romain", "Mathilde", "Guillaume", "Anaïs", "Baptiste", "Lucie", "Quentin",
        "Zoé", "Étienne",
    ),
    "it": (
        "Giulia", "Francesco", "Sofia", "Alessandro", "Aurora", "Lorenzo", "Alice", "Leonardo",
        "Ginevra", "Mattia", "Emma", "Andrea", "Giorgia", "Gabriele", "Martina", "Riccardo",
        "Chiara", "Tommaso", "Sara", "Edoardo", "Anna", "Marco", "Federica", "Luca", "Valentina",
        "Simone", "Elisa", "Stefano", "Silvia", "Paolo", "Roberta", "Giovanni", "Francesca",
        "Davide", "Elena", "Antonio",
    ),
    "es": (
        "Lucía", "Hugo", "María", "Martín", "Paula", "Daniel", "Sofía", "Pablo", "Carmen",
        "Alejandro", "Laura", "Javier", "Marta", "David", "Elena", "Adrián", "Sara", "Diego",
        "Ana", "Manuel", "Cristina", "Sergio", "Isabel", "Jorge", "Raquel", "Carlos", "Irene",
        "Álvaro", "Nerea", "Iker", "Ainhoa", "Jordi", "Montserrat", "Andrés", "Rocío", "Miguel",
    ),
}
# fmt: on

# Polish surnames in -ski, -cki and -dzki take the feminine -a, so Polish first names carry
# their gender.
# fmt: off
POLISH_FIRST_NAMES: tuple[tuple[str, bool], ...] = tuple(
    (name, True)
    for name in (
        "Anna", "Katarzyna", "Maria", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena",
        "Joanna", "Aleksandra", "Zofia", "Natalia", "Monika", "Karolina", "Julia", "Dorota",
        "Marta", "Alicja",
    )
) + tuple(
    (name, False)
    for name in (
        "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Jakub", "Adam",
        "Łukasz", "Mateusz", "Kamil", "Wojciech", "Bartosz", "Grzegorz", "Marek", "Szymon", "Jan",
    )
)

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Murphy", "Walsh", "Byrne",
        "Campbell", "Stewart", "MacDonald", "Fraser", "Morgan", "Price", "Lewis", "Patel", "Khan",
        "Ahmed",
    ),
    "de": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
        "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
        "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze",
        "Maier", "Köhler", "Herrmann",
    ),
    "fr": (
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
        "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
        "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
        "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
        "Chevalier",
    ),
    "it": (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
        "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano",
        "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
        "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli",
        "Vitale", "Lombardo", "Serra",
    ),
    "es": (
        "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
        "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
        "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
        "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega",
        "Delgado", "Castro", "Ortiz",
    ),
    "pl": (
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
        "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski",
        "Michalski", "Nowicki", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król",
        "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski", "Pawlak", "Witkowski",
        "Walczak",
    ),
}
# fmt: on


def polish_surname(surname: str, female: bool) -> str:
    """``Kowalski`` → ``Kowalska`` for a woman; ``Nowak`` stays ``Nowak``."""
    if female and surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    return surname


@dataclass(frozen=True)
class Extras:
    """Generic exchanges that carry a thread on once its scenario's script has run out."""

    followups: tuple[tuple[str, str], ...]
    """(customer question, agent answer) pairs. German texts start in lower case: they follow
    a greeting ending in a comma ("Hallo Anna,"), as German letters do."""
    closers: tuple[str, ...]
    """A last line an agent adds when the conversation is done."""


EXTRAS: dict[str, Extras] = {
    "en": Extras(
        followups=(
            (
                "One more question: do you also ship to Switzerland?",
                "Yes, we ship to Switzerland. Delivery takes 4–6 working days, and customs "
                "duties are paid on delivery.",
            ),
            (
                "Could you gift-wrap my next order? It's a present.",
                'Of course: tick "gift wrapping" at checkout, or just reply with the order '
                "number and we'll wrap it for you.",
            ),
            (
                "How should I wash the linen the first time?",
                "Wash it at 40 °C with a mild detergent and no fabric softener, then dry it on "
                "the line or on low heat. It gets softer with every wash.",
            ),
        ),
        closers=("You're very welcome! Have a lovely week.", "Glad we could help. Enjoy!"),
    ),
    "de": Extras(
        followups=(
            (
                "noch eine Frage: Liefert ihr auch in die Schweiz?",
                "ja, wir liefern auch in die Schweiz. Das dauert 4–6 Werktage; Zollgebühren "
                "fallen bei der Zustellung an.",
            ),
            (
                "könntet ihr meine nächste Bestellung als Geschenk verpacken?",
                "sehr gern: Wähle an der Kasse einfach „Geschenkverpackung“ oder schick uns die "
                "Bestellnummer, dann verpacken wir sie für dich.",
            ),
            (
                "wie wasche ich das Leinen am besten beim ersten Mal?",
                "am besten bei 40 °C mit mildem Waschmittel und ohne Weichspüler, danach auf der "
                "Leine oder bei niedriger Temperatur im Trockner trocknen. Mit jeder Wäsche wird "
                "es weicher.",
            ),
        ),
        closers=(
            "Gern geschehen! Ich wünsche dir eine schöne Woche.",
            "Schön, dass wir helfen konnten. Viel Freude damit!",
        ),
    ),
    "fr": Extras(
        followups=(
            (
                "Encore une question : livrez-vous aussi en Suisse ?",
                "Oui, nous livrons en Suisse. Comptez 4 à 6 jours ouvrés ; les droits de douane "
                "sont réglés à la livraison.",
            ),
            (
                "Pourriez-vous emballer ma prochaine commande en paquet cadeau ?",
                "Avec plaisir : cochez « emballage cadeau » lors du paiement, ou répondez-nous "
                "simplement avec le numéro de commande et nous nous en occupons.",
            ),
            (
                "Comment laver le lin la première fois ?",
                "Lavez-le à 40 °C avec une lessive douce et sans adoucissant, puis faites-le "
                "sécher à l'air libre ou au sèche-linge à basse température. Il s'assouplit à "
                "chaque lavage.",
            ),
        ),
        closers=(
            "Avec plaisir ! Très belle semaine à vous.",
            "C'est toujours un plaisir de vous aider. Profitez bien de votre commande !",
        ),
    ),
    "it": Extras(
        followups=(
            (
                "Un'altra domanda: spedite anche in Svizzera?",
                "Sì, spediamo anche in Svizzera. La consegna richiede 4–6 giorni lavorativi; i "
                "dazi doganali si pagano alla consegna.",
            ),
            (
                "Potreste incartare il mio prossimo ordine come regalo?",
                "Con piacere: scelga «confezione regalo» al momento del pagamento, oppure ci "
                "risponda con il numero d'ordine e ci pensiamo noi.",
            ),
            (
                "Come devo lavare il lino la prima volta?",
                "Lo lavi a 40 °C con un detersivo delicato e senza ammorbidente, poi lo stenda "
                "all'aria o usi l'asciugatrice a bassa temperatura. Diventa più morbido a ogni "
                "lavaggio.",
            ),
        ),
        closers=(
            "Prego, è stato un piacere! Le auguro una buona settimana.",
            "Siamo felici di esserle stati d'aiuto. Speriamo che gli articoli le piacciano!",
        ),
    ),
    "es": Extras(
        followups=(
            (
                "Una pregunta más: ¿también envían a Suiza?",
                "Sí, también enviamos a Suiza. La entrega tarda de 4 a 6 días laborables y los "
                "aranceles se pagan en la entrega.",
            ),
            (
                "¿Podrían envolver mi próximo pedido para regalo?",
                "Con mucho gusto: marque «envoltorio de regalo» al finalizar la compra o "
                "respóndanos con el número de pedido y nos encargamos nosotros.",
            ),
            (
                "¿Cómo debo lavar el lino la primera vez?",
                "Lávelo a 40 °C con un detergente suave y sin suavizante, y séquelo al aire o en "
                "secadora a baja temperatura. Se vuelve más suave con cada lavado.",
            ),
        ),
        closers=(
            "¡De nada! Que tenga una buena semana.",
            "Nos alegra haberle ayudado. ¡Que disfrute de su pedido!",
        ),
    ),
    "pl": Extras(
        followups=(
            (
                "Jeszcze jedno pytanie: czy wysyłacie również do Szwajcarii?",
                "Tak, wysyłamy również do Szwajcarii. Dostawa trwa 4–6 dni roboczych, a cło jest "
                "pobierane przy doręczeniu.",
            ),
            (
                "Czy moje następne zamówienie może zostać zapakowane na prezent?",
                "Oczywiście: wystarczy zaznaczyć „pakowanie na prezent” przy składaniu "
                "zamówienia albo odpisać nam z numerem zamówienia, a zajmiemy się resztą.",
            ),
            (
                "Jak najlepiej wyprać len za pierwszym razem?",
                "Najlepiej w 40 °C, łagodnym środkiem i bez płynu zmiękczającego, a potem suszyć "
                "na sznurku lub w suszarce w niskiej temperaturze. Z każdym praniem len staje "
                "się bardziej miękki.",
            ),
        ),
        closers=(
            "Nie ma za co! Życzymy udanego tygodnia.",
            "Cieszymy się, że mogliśmy pomóc. Miłego korzystania z zamówienia!",
        ),
    ),
}

NOTES_WITH_ORDER: tuple[str, ...] = (
    "Checked with {carrier}: the parcel for {order} was scanned at the local depot this morning.",
    "Warehouse confirms {order} was packed complete; photos of the parcel are in the shared drive.",
    "Refund for {order} approved; finance pays it out in Friday's run.",
    "Asked the warehouse to put a handwritten card in with {order}.",
    "Invoice address on {order} differs from the account; confirmed with the customer by phone.",
)
NOTES: tuple[str, ...] = (
    "Repeat customer: happy to be generous with goodwill here.",
    "Customer sounded upset on the phone; please reply personally, no template.",
    "Possible duplicate of an earlier conversation with the same customer.",
    "Waiting for the supplier's restock date before replying.",
    "Left a voicemail as well, in case the email goes to spam.",
    "Handing over: I'm off tomorrow, please keep an eye on this one.",
)

UNANSWERED: dict[str, tuple[str, ...]] = {
    "phone": (
        "Missed call outside opening hours; no voicemail.",
        "Voicemail: asked about {order}, please call back.",
        "Missed call; voicemail asks whether the wool throw is back in stock.",
    ),
    "chat": (
        "Chat message left after hours: asked for the tracking link for {order}.",
        "Chat message left after hours: asked about gift wrapping.",
    ),
    "social": (
        "Instagram DM left overnight: asked whether {order} has shipped.",
        "Facebook message: asked about the Christmas delivery cut-off.",
    ),
}
CHANNEL_LABELS: dict[str, str] = {"phone": "Phone", "chat": "Chat", "social": "Social"}
