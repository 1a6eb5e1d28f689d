"""Polish wording: customers in Poland, answered by Tomasz.

Customer texts avoid first-person past tense (it carries the writer's gender); Tomasz writes
to customers as "Państwo", the usual neutral form when the reader's gender is not given.
"""

from __future__ import annotations

from agentconsole.demo.scripts import LanguageScript, Scenario

SCRIPT = LanguageScript(
    language="pl",
    customer_greetings=("Dzień dobry,", "Witam,", "Szanowni Państwo,", ""),
    customer_signoffs=(
        "Pozdrawiam\n{full}",
        "Z góry dziękuję\n{first}",
        "Pozdrawiam serdecznie\n{first}",
        "Z poważaniem\n{full}",
    ),
    agent_greeting="Dzień dobry,",
    agent_signoff="Pozdrawiam serdecznie\n{agent}\n{shop}",
    nudges=(
        "Czy coś już wiadomo w tej sprawie? Nadal czekam na odpowiedź.",
        "Ponawiam pytanie z wiadomości poniżej. Proszę o informację.",
    ),
    thanks=("Bardzo dziękuję, wszystko jasne!", "Super, dziękuję za pomoc."),
    auto_reply_subject="Odpowiedź automatyczna: {subject}",
    auto_reply_body=(
        "Dziękuję za wiadomość. W tym tygodniu jestem poza biurem i mam ograniczony dostęp do "
        "poczty. Odpowiem po powrocie.\n\n{full}"
    ),
    products={
        "LN-TCL": "lniany obrus",
        "LN-DUV": "lniana poszwa na kołdrę",
        "LN-FIT": "lniane prześcieradło z gumką",
        "LN-APR": "lniany fartuch",
        "LN-PIL": "lniane poszewki na poduszki",
        "WF-TWL": "ręcznik kąpielowy waflowy",
        "LN-CUS": "lniana poszewka na poduszkę dekoracyjną",
        "LN-NAP": "lniane serwetki",
    },
    scenarios={
        "wismo": Scenario(
            subjects=(
                "Gdzie jest moje zamówienie {order}?",
                "Zamówienie {order} nadal nie dotarło",
                "Status przesyłki {order}",
            ),
            beats=(
                (
                    "Zamówienie {order} złożone {days} dni temu nadal do mnie nie dotarło. "
                    "Śledzenie przesyłki od kilku dni pokazuje to samo. Czy mogą Państwo to "
                    "sprawdzić?",
                    "Czy mogą mi Państwo powiedzieć, gdzie jest teraz zamówienie {order}? To "
                    "prezent i zależy mi, żeby dotarł przed weekendem.",
                ),
                (
                    "Dziękujemy za wiadomość. Państwa zamówienie {order} opuściło nasz magazyn "
                    "i jest w drodze (przewoźnik: {carrier}). Numer przesyłki to {tracking}, można "
                    "ją śledzić "
                    "tutaj:\n{tracking_url}\n\nDostawa do Polski trwa zwykle 2–4 dni robocze. "
                    "Jeśli do jutra wieczorem nic się nie zmieni, proszę dać znać, a złożę "
                    "reklamację u przewoźnika.",
                    "Przepraszam za zwłokę! Sprawdziłem: {order} zostało przekazane "
                    "przewoźnikowi {carrier} i jest w drodze (numer przesyłki {tracking}).\n\nAktualny status: "
                    "{tracking_url}\n\nBędę też pilnował tej przesyłki.",
                ),
                (
                    "Dziękuję. Od trzech dni status to „w drodze”. Czy paczka zaginęła?",
                    "Link nie pokazuje nic nowego od wyjazdu paczki z Niemiec. Czy jest się "
                    "czym martwić?",
                ),
                (
                    "Rozmawiałem z przewoźnikiem ({carrier}): paczka utknęła w sortowni, ale "
                    "jest już znowu w "
                    "drodze i powinna dotrzeć w ciągu dwóch dni. Jeśli nie, od razu wyślemy "
                    "nową, bez czekania na wynik reklamacji.",
                    "{carrier} potwierdza, że paczka jest w lokalnym oddziale i jutro zostanie "
                    "doręczona. Zanotowałem {order}: jeśli coś jeszcze pójdzie nie tak, wyślemy "
                    "je ponownie na nasz koszt.",
                ),
            ),
        ),
        "returns": Scenario(
            subjects=(
                "Zwrot zamówienia {order}",
                "Prośba o zwrot {order}",
                "Jak mogę zwrócić produkt?",
            ),
            beats=(
                (
                    "Chcę zwrócić produkt „{product}” ({variant}) z zamówienia {order}. "
                    "Jest piękny, ale rozmiar nie pasuje. Jak to zrobić?",
                    "Produkt „{product}” z zamówienia {order} nie pasuje do naszego wnętrza: "
                    "kolor jest inny niż na zdjęciu. Czy można go odesłać i otrzymać zwrot "
                    "pieniędzy?",
                ),
                (
                    "Oczywiście: nieużywane produkty można zwrócić w ciągu 30 dni. Bezpłatną "
                    "etykietę zwrotną można wydrukować tutaj:\n{returns_url}\n\nProszę włożyć do "
                    "paczki kartkę z numerem zamówienia {order}. Zwrot pieniędzy zlecimy zaraz "
                    "po otrzymaniu paczki.",
                    "Żaden problem. Utworzyłem zwrot dla {order}: wystarczy rozpocząć go na "
                    "{returns_url}, a opłacona etykieta przyjdzie e-mailem. Pieniądze zwracamy "
                    "w ciągu 3 dni roboczych od otrzymania paczki.",
                ),
                (
                    "Dziękuję, paczka została wczoraj nadana. Kiedy mogę spodziewać się zwrotu "
                    "pieniędzy?",
                    "Paczka jest już w drodze do Państwa. Czy potrzebne jest coś jeszcze?",
                ),
                (
                    "Paczka zwrotna dotarła dzisiaj i zleciłem zwrot {amount} na pierwotną metodę "
                    "płatności. W zależności od banku może to potrwać kilka dni.",
                    "Wszystko dotarło w idealnym stanie, zwrot {amount} został zlecony. Chętnie "
                    "pomogę w wyborze innego rozmiaru.",
                ),
            ),
        ),
        "sizing": Scenario(
            subjects=(
                "Pytanie o rozmiary pościeli",
                "Jaki rozmiar pasuje do mojego łóżka?",
                "Rozmiar prześcieradła z gumką",
            ),
            beats=(
                (
                    "Nasz materac ma {bed} cm. Które prześcieradło z gumką i którą poszwę "
                    "zamówić? Nie chcę, żeby prześcieradło było za luźne.",
                    "Pytanie przed zamówieniem: czy lniana pościel kurczy się w praniu? Nasze "
                    "łóżko ma {bed} cm i nie wiem, jaki rozmiar wybrać.",
                ),
                (
                    "Dobre pytanie! Do materaca {bed} cm pasuje prześcieradło z gumką {fitted}: "
                    "ma 30 cm wysokości boku i dobrze trzyma się materacy do 25 cm. Do kołdry "
                    "najlepsza będzie poszwa {duvet}.\n\nNasz len jest wstępnie prany, więc w "
                    "40 °C kurczy się najwyżej o około 2%.",
                    "Prześcieradło z gumką {fitted} jest szyte na materac {bed} cm, a "
                    "większość klientów dobiera do niego poszwę {duvet}. Len jest wstępnie "
                    "prany, więc przy praniu w 40 °C bez suszarki prawie się nie kurczy.",
                ),
                (
                    "Świetnie, dziękuję. Czy poszewki na poduszki są w tym samym kolorze?",
                    "Dziękuję! Jeszcze jedno: czy poszwa zapina się na guziki, czy na zamek?",
                ),
                (
                    "Tak, każdy kolor jest też dostępny w poszewkach, w parach (50 × 75 cm i "
                    "80 × 80 cm). Miłego wypoczynku w nowej pościeli!",
                    "Zapina się na guziki z łupiny kokosa, które znoszą pranie dużo lepiej niż "
                    "zamki. W razie pytań jestem do dyspozycji.",
                ),
            ),
        ),
        "teapot": Scenario(
            subjects=(
                "Dzbanek dotarł rozbity",
                "Rozbity dzbanek – zamówienie {order}",
                "Uszkodzony produkt w zamówieniu {order}",
            ),
            beats=(
                (
                    "Właśnie otwieram zamówienie {order}, a kamionkowy dzbanek do herbaty jest "
                    "rozbity: dzióbek się odłamał, w kartonie pełno skorup. Karton z zewnątrz "
                    "wyglądał na nienaruszony. Zdjęcia w załączniku.",
                    "Niestety dzbanek z zamówienia {order} dotarł w kawałkach. Pokrywka jest "
                    "pęknięta, a ucho odpadło. Szkoda, bo to miał być prezent.",
                ),
                (
                    "Bardzo przepraszam, nasz dzbanek nie powinien tak dotrzeć. Wysłałem "
                    "bezpłatnie nowy jako zamówienie {replacement}; wyjdzie jutro. Rozbitego "
                    "nie trzeba odsyłać.",
                    "Ogromnie mi przykro, przepraszam. Nowy dzbanek jest już w drodze jako "
                    "zamówienie {replacement}, bez żadnych kosztów. Skorupy można po prostu "
                    "wyrzucić.",
                ),
                (
                    "Nie do wiary: dzbanek wysłany na wymianę ({replacement}) też dotarł "
                    "rozbity. Znowu dzióbek. Czy coś jest nie tak z pakowaniem?",
                    "Drugi dzbanek też jest pęknięty. To już drugi raz i nie wiem, czy jest sens "
                    "próbować po raz trzeci.",
                ),
                (
                    "Naprawdę bardzo przepraszam. Niestety to nie jedyny taki przypadek, dlatego "
                    "wstrzymaliśmy wysyłkę dzbanków do czasu dostawy nowych kartonów z podwójną "
                    "ścianką. Zwróciłem {amount} za dzbanek z zamówienia {order}. Jeśli będzie "
                    "chęć spróbować jeszcze raz, odłożę jeden dzbanek.",
                    "Mają Państwo całkowitą rację, przepraszam. W tym miesiącu zmieniamy "
                    "opakowanie dzbanków. Zwróciłem pełną kwotę za dzbanek ({amount}). Czy "
                    "zarezerwować jeden z pierwszej partii w nowym opakowaniu?",
                ),
                (
                    "Dziękuję za zwrot. Tak, proszę odłożyć jeden, bardzo podoba mi się ten wzór.",
                    "Dobrze, dziękuję. Proszę dać znać, kiedy będzie nowe opakowanie, wtedy "
                    "spróbuję jeszcze raz.",
                ),
                (
                    "Gotowe: dzbanek w wybranym kolorze jest zarezerwowany, napiszę, gdy tylko "
                    "wyjdzie w nowym kartonie. Dziękuję za cierpliwość!",
                    "Oczywiście. Rezerwacja jest na liście, a ten dzbanek jest od nas w "
                    "prezencie. Dziękuję za wyrozumiałość.",
                ),
            ),
        ),
        "invoice": Scenario(
            subjects=(
                "Faktura do zamówienia {order}",
                "Prośba o fakturę VAT",
                "Kopia faktury {order}",
            ),
            beats=(
                (
                    "Czy mogą Państwo wystawić fakturę do zamówienia {order} na naszą firmę? "
                    "{company}, NIP {vat_id}.",
                    "Nie mogę znaleźć faktury do zamówienia {order} w skrzynce. Czy mogą mi "
                    "Państwo przesłać kopię w PDF?",
                ),
                (
                    "Oczywiście, faktura do {order} jest w załączniku jako PDF. Można ją też w "
                    "każdej chwili pobrać ze strony zamówienia:\n{status_url}",
                    "Proszę bardzo: faktura do {order} w załączniku. Jeśli trzeba zmienić nazwę "
                    "firmy albo NIP, proszę dać znać, wystawię ją ponownie.",
                ),
                (
                    "Dziękuję. Czy można dopisać nasz numer zamówienia PO-{po}?",
                    "Dziękuję. Jest tam jednak stary adres. Czy można wpisać adres nowego biura?",
                ),
                (
                    "Nie ma problemu, zaktualizowana faktura w załączniku.",
                    "Gotowe: poprawiona faktura w załączniku, zaktualizowałem też dane konta, "
                    "żeby kolejne faktury były poprawne.",
                ),
            ),
        ),
        "promo": Scenario(
            subjects=(
                "Kod rabatowy nie działa",
                "Problem z kodem {code}",
                "Pytanie o wyprzedaż",
            ),
            beats=(
                (
                    "Próbuję użyć kodu {code} z newslettera, ale przy płatności pojawia się "
                    "komunikat, że jest nieważny. Czy kod wygasł?",
                    "Czy kod {code} działa na produkty już przecenione? Na serwetki w koszyku "
                    "się nie nalicza.",
                ),
                (
                    "Przepraszam! {code} nie łączy się z produktami już przecenionymi, dlatego "
                    "został odrzucony. Przygotowałem osobisty kod: {new_code} daje 15% na cały "
                    "koszyk do końca miesiąca.",
                    "Dziękujemy za sygnał. {code} wygasł w niedzielę, ale nie chcemy, żeby "
                    "rabat przepadł: {new_code} daje taki sam rabat i jest ważny 14 dni.",
                ),
                (
                    "Zadziałało, dziękuję! Zamówienie złożone.",
                    "Super, dziękuję. Czy z tym kodem dostawa nadal jest darmowa?",
                ),
                (
                    "Świetnie, miłego korzystania z nowych rzeczy!",
                    "Tak, dostawa jest darmowa od 75 € po rabacie.",
                ),
            ),
        ),
        "address": Scenario(
            subjects=(
                "Zmiana adresu dostawy zamówienia {order}",
                "Błędny adres w zamówieniu {order}",
                "Proszę wysłać {order} na inny adres",
            ),
            beats=(
                (
                    "W zamówieniu {order} jest niestety mój stary adres. Czy mogą Państwo "
                    "wysłać je na ten adres:\n\n{address}\n\nPrzepraszam za kłopot!",
                    "Czy można zmienić adres dostawy zamówienia {order}? W tym tygodniu jestem "
                    "w pracy, więc proszę o dostawę na adres:\n{address}",
                ),
                (
                    "Nie ma problemu: zamówienie jeszcze nie wyjechało, więc zmieniłem adres "
                    "dostawy {order} na:\n\n{address}\n\nNumer przesyłki przyjdzie e-mailem "
                    "zaraz po wysyłce.",
                    "W ostatniej chwili! {order} pojedzie na nowy adres i zostanie wysłane w "
                    "ciągu jednego dnia roboczego.",
                ),
                (
                    "Dziękuję! Czy e-mail z numerem przesyłki przyjdzie na ten sam adres co "
                    "zawsze?",
                    "Super. Czy można też zmienić adres na moim koncie?",
                ),
                (
                    "Tak, e-mail przychodzi na adres podany przy zamówieniu. Wszystko załatwione!",
                    "Gotowe: nowy adres jest teraz domyślny na koncie.",
                ),
            ),
        ),
        "thanks": Scenario(
            subjects=("Dziękuję!", "Piękna paczka", "Podziękowanie"),
            beats=(
                (
                    "Chcę tylko powiedzieć, że produkt „{product}” dotarł dzisiaj i na żywo jest "
                    "jeszcze ładniejszy niż na zdjęciach. Opakowanie też cudowne. Dziękuję!",
                    "Zamówienie {order} dotarło dziś rano. Piękna jakość, na pewno zamówię "
                    "jeszcze prezenty na święta.",
                ),
                (
                    "Bardzo dziękujemy, że znalazł się czas, żeby do nas napisać, to nam "
                    "poprawiło dzień! Niech dobrze służy.",
                    "To bardzo miłe, dziękuję! Przekazałem wiadomość zespołowi, który pakował "
                    "paczkę.",
                ),
            ),
        ),
    },
)
