"""English wording: customers in the UK and Ireland, answered by any of the three agents."""

from __future__ import annotations

from agentconsole.demo.scripts import LanguageScript, Scenario

SCRIPT = LanguageScript(
    language="en",
    customer_greetings=("Hello,", "Hi,", "Hi there,", "Dear Lindenhof team,", ""),
    customer_signoffs=(
        "Thanks,\n{first}",
        "Best wishes,\n{full}",
        "{first}",
        "Kind regards,\n{full}",
        "Cheers,\n{first}",
    ),
    agent_greeting="Hi {first},",
    agent_signoff="Best wishes,\n{agent}\n{shop}",
    nudges=(
        "Any news on this? I haven't heard back yet.",
        "Just following up on my email below. Could someone get back to me, please?",
        "Sorry to chase, but is there an update?",
    ),
    thanks=("Thank you, that's perfect!", "Great, thanks so much for your help."),
    auto_reply_subject="Automatic reply: {subject}",
    auto_reply_body=(
        "Thank you for your email. I'm away this week with limited access to email and will "
        "reply when I'm back.\n\n{first}"
    ),
    products={
        "LN-TCL": "linen tablecloth",
        "LN-DUV": "linen duvet cover",
        "LN-FIT": "linen fitted sheet",
        "LN-APR": "linen apron",
        "LN-PIL": "linen pillowcases",
        "WF-TWL": "waffle bath towel",
        "LN-CUS": "linen cushion cover",
        "LN-NAP": "linen napkins",
    },
    scenarios={
        "wismo": Scenario(
            subjects=(
                "Where is my order {order}?",
                "Order {order} still not here",
                "Delivery of {order}",
            ),
            beats=(
                (
                    "I placed order {order} {days} days ago and it still hasn't arrived. The "
                    "tracking hasn't changed for a while. Could you check what's going on?",
                    "Could you tell me where my order {order} is? I was hoping to have it by "
                    "the weekend, it's a present.",
                    "My order {order} was meant to arrive this week but nothing so far. Has it "
                    "actually been sent?",
                ),
                (
                    "Thanks for getting in touch. Your order {order} has left our warehouse and "
                    "is with {carrier}. The tracking number is {tracking}, and you can follow it "
                    "here:\n{tracking_url}\n\nParcels to your area usually take 2–4 working days. "
                    "If it hasn't moved by tomorrow evening, let me know and I'll open an "
                    "enquiry with {carrier}.",
                    "Sorry for the wait! I've checked {order}: it was handed to {carrier} and is "
                    "on its way to you (tracking number {tracking}).\n\nLive status: "
                    "{tracking_url}\n\nI'll keep an eye on it too.",
                ),
                (
                    'Thanks. The tracking still says "in transit" and it\'s been three days now. '
                    "Is it lost?",
                    "I checked the link but it hasn't updated since it left Germany. Should I be "
                    "worried?",
                ),
                (
                    "I've spoken to {carrier}: the parcel was held at their hub and is back on "
                    "the road, so it should reach you within two days. If it doesn't, we'll send "
                    "a replacement straight away. No need to wait for the claim.",
                    "{carrier} have confirmed the parcel is at your local depot and booked for "
                    "delivery. I've made a note on {order}: if anything else goes wrong we'll "
                    "resend it at our cost.",
                ),
            ),
        ),
        "returns": Scenario(
            subjects=(
                "Return for order {order}",
                "Returning an item from {order}",
                "How do I send something back?",
            ),
            beats=(
                (
                    "I'd like to return the {product} ({variant}) from order {order}. It's "
                    "lovely, but not the right size for us. How do I go about it?",
                    "The {product} from {order} doesn't quite work in our home: the colour is "
                    "different from what I expected. Can I send it back for a refund?",
                    "Is it possible to return the {product} ({variant}) from {order}? It's "
                    "unused and still in the packaging.",
                ),
                (
                    "Of course. You have 30 days to return anything unused. You can print a free "
                    "return label here:\n{returns_url}\n\nPlease put a note with the order number "
                    "{order} in the parcel. As soon as it's back with us we'll refund you.",
                    "No problem at all. I've set up a return for {order}: start it at "
                    "{returns_url} and you'll get a prepaid label by email. Refunds go out "
                    "within 3 working days of the parcel reaching us.",
                ),
                (
                    "Thanks, I dropped the parcel off yesterday. How long until I see the refund?",
                    "It's on its way back to you now. Do you need anything else from me?",
                ),
                (
                    "Your return arrived today and I've refunded {amount} to your original "
                    "payment method. Depending on your bank it can take a few days to show. "
                    "Thanks for shopping with us!",
                    "All received in perfect condition, and the refund of {amount} is on its "
                    "way. Let us know if you'd like help choosing a different size.",
                ),
            ),
        ),
        "sizing": Scenario(
            subjects=(
                "Question about bed linen sizes",
                "Which size fits my bed?",
                "Fitted sheet size",
            ),
            beats=(
                (
                    "Our mattress is {bed} cm. Which fitted sheet and which duvet cover should "
                    "I order? I don't want the sheet to be too loose.",
                    "Before I order: do your linen sheets shrink after washing? Our bed is {bed} "
                    "cm and I'm not sure which size to pick.",
                ),
                (
                    "Good question! For a {bed} cm mattress take the fitted sheet in {fitted}. "
                    "It has a 30 cm pocket, so it stays put on mattresses up to 25 cm deep. For "
                    "the duvet cover, {duvet} is the usual match.\n\nOur linen is stone-washed "
                    "before sewing, so it won't shrink more than about 2% at 40 °C.",
                    "The fitted sheet in {fitted} is made for a {bed} cm mattress, and most "
                    "customers pair it with the {duvet} duvet cover. The linen is pre-washed, so "
                    "shrinkage is minimal if you wash at 40 °C and skip the hot tumble dryer.",
                ),
                (
                    "Perfect, thank you. Do the pillowcases come in a matching colour?",
                    "Thanks! One more thing: does the duvet cover close with buttons or a zip?",
                ),
                (
                    "Yes, every colour comes in pillowcases too, sold in pairs (50 × 75 cm and "
                    "80 × 80 cm). Enjoy your new bed linen!",
                    "It closes with coconut-shell buttons, which survive the wash much better "
                    "than zips. Happy to help if anything else comes up.",
                ),
            ),
        ),
        "teapot": Scenario(
            subjects=(
                "Teapot arrived broken",
                "Broken teapot in order {order}",
                "Damaged item in {order}",
            ),
            beats=(
                (
                    "I've just opened order {order} and the stoneware teapot is broken: the "
                    "spout has snapped off and there are shards in the box. The outer box looked "
                    "fine. Photos attached.",
                    "Unfortunately the teapot from {order} arrived in pieces. The lid is cracked "
                    "and the handle is off. Very disappointing, as it was meant to be a gift.",
                ),
                (
                    "I'm so sorry, that's not how our teapot should arrive. I've sent you a "
                    "replacement free of charge as order {replacement}; it goes out tomorrow. No "
                    "need to send the broken one back.",
                    "How frustrating, I'm really sorry. A new teapot is on its way to you as "
                    "order {replacement}, at no cost. Please just recycle the broken pieces.",
                ),
                (
                    "I can't believe it: the replacement ({replacement}) arrived broken as well. "
                    "Same place, the spout. Is there something wrong with how these are packed?",
                    "The second teapot is cracked too. That's twice now, and I'm not sure I want "
                    "to try a third time.",
                ),
                (
                    "I'm truly sorry. You're not the only one this has happened to, and we've "
                    "stopped shipping the teapot in our normal packaging until our new "
                    "double-walled box arrives. I've refunded {amount} for the teapot on {order}. "
                    "If you'd like to try again once the new boxes are here, I'll set one aside.",
                    "You're right, and I apologise. We're changing the packaging for the teapots "
                    "this month. I've refunded the teapot in full ({amount}). Would you like me "
                    "to reserve one from the first batch that ships in the new packaging?",
                ),
                (
                    "Thanks for sorting out the refund. Yes, please put one aside. I really do "
                    "like the design.",
                    "OK, thank you. Let me know when the new packaging is ready and I'll give it "
                    "another go.",
                ),
                (
                    "Done: one is reserved in your colour and I'll write as soon as it ships in "
                    "the new box. Thank you for your patience!",
                    "Will do. You're on the list, and that teapot is on us. Thanks for bearing "
                    "with us.",
                ),
            ),
        ),
        "invoice": Scenario(
            subjects=("Invoice for order {order}", "VAT invoice needed", "Copy of invoice {order}"),
            beats=(
                (
                    "Could you send me an invoice for order {order} with our company details? "
                    "{company}, VAT number {vat_id}.",
                    "I can't find the invoice for {order} in my emails. Could you send me a copy "
                    "as a PDF?",
                ),
                (
                    "Of course. The invoice for {order} is attached as a PDF. You can also "
                    "download it at any time from your order page:\n{status_url}",
                    "Here you go: the invoice for {order} is attached. If you need the company "
                    "name or VAT number changed, just tell me and I'll reissue it.",
                ),
                (
                    "Thanks. Could you also add our purchase order reference PO-{po}?",
                    "Got it, thank you. The address on it is our old one though. Could you "
                    "change it to the new office?",
                ),
                (
                    "No problem, the updated invoice is attached.",
                    "Done: the corrected invoice is attached, and I've updated your account so "
                    "future invoices are right too.",
                ),
            ),
        ),
        "promo": Scenario(
            subjects=(
                "Discount code not working",
                "Problem with code {code}",
                "Question about your sale",
            ),
            beats=(
                (
                    "I'm trying to use the code {code} from your newsletter, but the checkout "
                    "says it's invalid. Has it expired?",
                    "Does the code {code} work on items that are already reduced? It doesn't "
                    "seem to apply to the napkins in my basket.",
                ),
                (
                    "Sorry about that! {code} can't be combined with items that are already on "
                    "sale, which is why the checkout refused it. I've made a personal code for "
                    "you instead: {new_code} gives you 15% off your whole basket until the end "
                    "of the month.",
                    "Thanks for letting us know. {code} expired on Sunday, but I don't want you "
                    "to miss out: use {new_code} at checkout for the same discount. It's valid "
                    "for 14 days.",
                ),
                (
                    "That worked, thank you! Order placed.",
                    "Brilliant, thanks. Do I still get free shipping with it?",
                ),
                (
                    "Lovely, enjoy your new pieces!",
                    "Yes: shipping is free on everything over €75 after the discount, so you're "
                    "all set.",
                ),
            ),
        ),
        "address": Scenario(
            subjects=(
                "Change of delivery address for {order}",
                "Wrong address on order {order}",
                "Please send {order} somewhere else",
            ),
            beats=(
                (
                    "I've just realised I used my old address for order {order}. Could you "
                    "please send it to:\n\n{address}\n\nSorry for the trouble!",
                    "Could you change the delivery address for {order}? I'll be at work all that "
                    "week, so please send it to:\n{address}",
                ),
                (
                    "No trouble at all. The order hadn't left yet, so I've changed the delivery "
                    "address for {order} to:\n\n{address}\n\nYou'll get a tracking email as soon "
                    "as it ships.",
                    "Caught it just in time! {order} will now go to the new address and should "
                    "ship within one working day.",
                ),
                (
                    "Thank you! Will the tracking email go to the same address as before?",
                    "Great. Could you also update the address in my account for future orders?",
                ),
                (
                    "Yes, the tracking email goes to the address you ordered with. All sorted!",
                    "Done: your account now has the new address as its default.",
                ),
            ),
        ),
        "thanks": Scenario(
            subjects=("Thank you!", "Lovely parcel", "Just wanted to say thanks"),
            beats=(
                (
                    "Just wanted to say the {product} arrived today and it's even nicer than in "
                    "the photos. The packaging was lovely too. Thank you!",
                    "Order {order} arrived this morning. Beautiful quality. I'll definitely be "
                    "ordering again for Christmas presents.",
                ),
                (
                    "Thank you so much for taking the time to write, it made our day! Enjoy it, "
                    "and see you again before Christmas.",
                    "That's so kind of you, thank you! I've passed your message on to the team "
                    "who packed your parcel.",
                ),
            ),
        ),
    },
)
