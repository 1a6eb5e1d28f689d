"""French wording: customers in France, answered by Chloé (who writes "vous")."""

from __future__ import annotations

from agentconsole.demo.scripts import LanguageScript, Scenario

SCRIPT = LanguageScript(
    language="fr",
    customer_greetings=("Bonjour,", "Bonjour à toute l'équipe,", "Madame, Monsieur,", ""),
    customer_signoffs=(
        "Merci d'avance,\n{full}",
        "Cordialement,\n{full}",
        "Bien à vous,\n{first}",
        "Merci beaucoup !\n{first}",
    ),
    agent_greeting="Bonjour {first},",
    agent_signoff="Belle journée,\n{agent}\n{shop}",
    nudges=(
        "Avez-vous du nouveau ? Je n'ai pas encore eu de réponse.",
        "Je me permets de vous relancer au sujet de mon message ci-dessous.",
    ),
    thanks=("Merci beaucoup, c'est parfait !", "Super, merci pour votre aide."),
    auto_reply_subject="Réponse automatique : {subject}",
    auto_reply_body=(
        "Bonjour,\n\nJe ne suis pas au bureau cette semaine et j'ai un accès limité à mes "
        "e-mails. Je vous répondrai dès mon retour.\n\n{full}"
    ),
    products={
        "LN-TCL": "nappe en lin",
        "LN-DUV": "housse de couette en lin",
        "LN-FIT": "drap-housse en lin",
        "LN-APR": "tablier en lin",
        "LN-PIL": "taies d'oreiller en lin",
        "WF-TWL": "drap de bain nid d'abeille",
        "LN-CUS": "housse de coussin en lin",
        "LN-NAP": "serviettes de table en lin",
    },
    scenarios={
        "wismo": Scenario(
            subjects=(
                "Où en est ma commande {order} ?",
                "Commande {order} toujours pas reçue",
                "Suivi de la commande {order}",
            ),
            beats=(
                (
                    "J'ai passé la commande {order} il y a {days} jours et je n'ai toujours rien "
                    "reçu. Le suivi n'a pas bougé depuis plusieurs jours. Pourriez-vous "
                    "vérifier ?",
                    "Pourriez-vous me dire où se trouve ma commande {order} ? C'est un cadeau "
                    "et j'aimerais l'avoir avant le week-end.",
                ),
                (
                    "Merci pour votre message. Votre commande {order} a bien quitté notre "
                    "entrepôt et a été confiée à {carrier}. Le numéro de suivi est {tracking}, "
                    "consultable ici :\n{tracking_url}\n\nLa livraison vers la France prend "
                    "généralement 3 à 5 jours ouvrés. Si rien ne bouge d'ici demain soir, "
                    "dites-le-moi et j'ouvrirai une réclamation auprès de {carrier}.",
                    "Désolée pour l'attente ! J'ai vérifié : {order} a été remise à {carrier} "
                    "et est en route (numéro de suivi {tracking}).\n\nSuivi en direct : "
                    "{tracking_url}\n\nJe garde également un œil dessus.",
                ),
                (
                    "Merci. Le suivi indique « en cours d'acheminement » depuis trois jours. "
                    "Le colis est-il perdu ?",
                    "Le lien n'a pas été mis à jour depuis le départ d'Allemagne. Dois-je "
                    "m'inquiéter ?",
                ),
                (
                    "J'ai contacté {carrier} : le colis était bloqué sur leur plateforme et "
                    "il est de nouveau en route. Il devrait arriver d'ici deux jours. Sinon, "
                    "nous vous renverrons la commande immédiatement, sans attendre l'enquête.",
                    "{carrier} confirme que le colis est à votre bureau de poste et sera livré "
                    "demain. J'ai noté {order} : en cas de nouveau souci, nous le renverrons à "
                    "nos frais.",
                ),
            ),
        ),
        "returns": Scenario(
            subjects=(
                "Retour pour la commande {order}",
                "Demande de retour {order}",
                "Comment faire un retour ?",
            ),
            beats=(
                (
                    "Je souhaite retourner l'article « {product} » ({variant}) de la commande "
                    "{order}. Il est très beau mais la taille ne convient pas. Comment dois-je "
                    "procéder ?",
                    "L'article « {product} » de la commande {order} ne va pas avec notre "
                    "intérieur : la couleur est différente de la photo. Est-il possible de le "
                    "renvoyer contre remboursement ?",
                ),
                (
                    "Bien sûr : vous disposez de 30 jours pour retourner tout article non "
                    "utilisé. Vous pouvez imprimer une étiquette de retour gratuite "
                    "ici :\n{returns_url}\n\nMerci de glisser un mot avec le numéro {order} dans "
                    "le colis. Nous vous rembourserons dès sa réception.",
                    "Aucun problème. J'ai créé un retour pour {order} : lancez-le sur "
                    "{returns_url} et vous recevrez une étiquette prépayée par e-mail. Le "
                    "remboursement intervient sous 3 jours ouvrés après réception.",
                ),
                (
                    "Merci, le colis est parti hier. Sous combien de temps le remboursement arrivera-t-il ?",
                    "Le colis est en route vers vous. Avez-vous besoin d'autre chose ?",
                ),
                (
                    "Votre retour est arrivé aujourd'hui et je vous ai remboursé {amount} sur "
                    "votre moyen de paiement d'origine. Selon votre banque, cela peut prendre "
                    "quelques jours.",
                    "Tout est arrivé en parfait état et le remboursement de {amount} est en "
                    "cours. N'hésitez pas si vous souhaitez de l'aide pour choisir une autre "
                    "taille.",
                ),
            ),
        ),
        "sizing": Scenario(
            subjects=(
                "Question sur les tailles de linge de lit",
                "Quelle taille pour mon lit ?",
                "Taille du drap-housse",
            ),
            beats=(
                (
                    "Notre matelas fait {bed} cm. Quel drap-housse et quelle housse de couette "
                    "dois-je commander ? Je ne voudrais pas que le drap flotte.",
                    "Avant de commander : votre linge en lin rétrécit-il au lavage ? Notre lit "
                    "fait {bed} cm et j'hésite sur la taille.",
                ),
                (
                    "Bonne question ! Pour un matelas de {bed} cm, prenez le drap-housse en "
                    "{fitted} : son bonnet de 30 cm tient sur les matelas jusqu'à 25 cm "
                    "d'épaisseur. Pour la housse de couette, la taille {duvet} est la plus "
                    "adaptée.\n\nNotre lin est prélavé : il ne rétrécit pas de plus de 2 % environ "
                    "à 40 °C.",
                    "Le drap-housse {fitted} est fait pour un matelas de {bed} cm, et la "
                    "plupart de nos clients l'associent à la housse de couette {duvet}. Le lin "
                    "est prélavé, le rétrécissement est donc minime à 40 °C sans sèche-linge.",
                ),
                (
                    "Parfait, merci. Les taies d'oreiller existent-elles dans la même couleur ?",
                    "Merci ! Une dernière question : la housse se ferme-t-elle avec des boutons "
                    "ou une fermeture éclair ?",
                ),
                (
                    "Oui, chaque couleur existe aussi en taies, vendues par deux (50 × 75 cm et "
                    "80 × 80 cm). Belles nuits dans votre nouveau linge !",
                    "Elle se ferme avec des boutons en noix de coco, bien plus résistants au "
                    "lavage qu'une fermeture éclair. Je reste à votre disposition.",
                ),
            ),
        ),
        "teapot": Scenario(
            subjects=(
                "Théière arrivée cassée",
                "Théière cassée – commande {order}",
                "Article endommagé dans la commande {order}",
            ),
            beats=(
                (
                    "Je viens d'ouvrir la commande {order} et la théière en grès est cassée : "
                    "le bec s'est détaché et il y a des éclats partout dans le carton. Le "
                    "carton, lui, semblait intact. Je joins des photos.",
                    "Malheureusement, la théière de la commande {order} est arrivée en morceaux. "
                    "Le couvercle est fêlé et l'anse s'est détachée. C'était un cadeau, quel "
                    "dommage.",
                ),
                (
                    "Je suis vraiment désolée, ce n'est pas ainsi que notre théière devrait "
                    "arriver. Je vous en ai envoyé une nouvelle gratuitement, commande "
                    "{replacement}, qui part demain. Inutile de nous renvoyer l'ancienne.",
                    "Quelle déception, toutes mes excuses. Une nouvelle théière vous est envoyée "
                    "gratuitement (commande {replacement}). Vous pouvez simplement jeter les "
                    "morceaux.",
                ),
                (
                    "Je n'en reviens pas : la théière de remplacement ({replacement}) est "
                    "arrivée cassée elle aussi. Encore le bec. Y a-t-il un problème avec "
                    "l'emballage ?",
                    "La deuxième théière est fêlée aussi. C'est la deuxième fois, je ne sais "
                    "pas si je veux tenter une troisième fois.",
                ),
                (
                    "Je suis sincèrement désolée. Ce n'est malheureusement pas un cas isolé : "
                    "nous n'expédions plus la théière avant l'arrivée de notre nouveau carton à "
                    "double paroi. Je vous ai remboursé {amount} pour la théière de la commande "
                    "{order}. Si vous souhaitez retenter l'expérience, je peux vous en mettre une "
                    "de côté.",
                    "Vous avez entièrement raison, toutes mes excuses. Nous changeons "
                    "l'emballage des théières ce mois-ci. Je vous ai remboursé la théière en "
                    "totalité ({amount}). Voulez-vous que je vous en réserve une dans le premier "
                    "envoi avec le nouvel emballage ?",
                ),
                (
                    "Merci pour le remboursement. Oui, mettez-m'en une de côté, le modèle me "
                    "plaît vraiment.",
                    "D'accord, merci. Prévenez-moi quand le nouvel emballage sera prêt, je "
                    "retenterai.",
                ),
                (
                    "C'est fait : une théière de votre couleur vous attend, et je vous écrirai "
                    "dès qu'elle partira dans le nouveau carton. Merci pour votre patience !",
                    "Avec plaisir. Vous êtes sur la liste, et cette théière vous est offerte. "
                    "Merci de votre compréhension.",
                ),
            ),
        ),
        "invoice": Scenario(
            subjects=(
                "Facture pour la commande {order}",
                "Besoin d'une facture avec TVA",
                "Copie de facture {order}",
            ),
            beats=(
                (
                    "Pourriez-vous m'envoyer une facture pour la commande {order} au nom de "
                    "notre société ? {company}, n° de TVA {vat_id}.",
                    "Je ne retrouve plus la facture de la commande {order} dans mes e-mails. "
                    "Pourriez-vous m'en envoyer une copie en PDF ?",
                ),
                (
                    "Bien sûr, vous trouverez la facture de {order} en pièce jointe. Elle est "
                    "aussi téléchargeable à tout moment depuis votre page de commande "
                    ":\n{status_url}",
                    "Voici la facture de {order} en pièce jointe. S'il faut modifier la raison "
                    "sociale ou le numéro de TVA, dites-le-moi et je l'émettrai à nouveau.",
                ),
                (
                    "Merci. Pourriez-vous ajouter notre référence de bon de commande PO-{po} ?",
                    "Merci. L'adresse indiquée est l'ancienne : pourriez-vous mettre celle de "
                    "nos nouveaux bureaux ?",
                ),
                (
                    "Aucun problème, voici la facture mise à jour.",
                    "C'est fait : la facture corrigée est jointe, et j'ai mis à jour votre "
                    "compte pour les prochaines factures.",
                ),
            ),
        ),
        "promo": Scenario(
            subjects=(
                "Code promo qui ne fonctionne pas",
                "Problème avec le code {code}",
                "Question sur les soldes",
            ),
            beats=(
                (
                    "J'essaie d'utiliser le code {code} reçu dans votre newsletter, mais il est "
                    "refusé au paiement. A-t-il expiré ?",
                    "Le code {code} fonctionne-t-il sur les articles déjà soldés ? Il ne "
                    "s'applique pas aux serviettes de mon panier.",
                ),
                (
                    "Désolée ! {code} ne se cumule pas avec les articles déjà soldés, c'est "
                    "pour cela qu'il a été refusé. Je vous ai créé un code personnel : "
                    "{new_code} vous donne 15 % sur tout le panier jusqu'à la fin du mois.",
                    "Merci de nous l'avoir signalé. {code} a expiré dimanche, mais je ne veux "
                    "pas que vous passiez à côté : utilisez {new_code} pour la même remise, "
                    "valable 14 jours.",
                ),
                (
                    "Ça a marché, merci ! Commande passée.",
                    "Super, merci. La livraison reste-t-elle gratuite avec ce code ?",
                ),
                (
                    "Parfait, profitez bien de vos nouvelles pièces !",
                    "Oui, la livraison est offerte dès 75 € après remise.",
                ),
            ),
        ),
        "address": Scenario(
            subjects=(
                "Changement d'adresse pour la commande {order}",
                "Mauvaise adresse sur la commande {order}",
                "Livrer {order} à une autre adresse",
            ),
            beats=(
                (
                    "Je m'aperçois que j'ai indiqué mon ancienne adresse pour la commande "
                    "{order}. Pourriez-vous l'envoyer plutôt à :\n\n{address}\n\nPardon pour le "
                    "dérangement !",
                    "Serait-il possible de modifier l'adresse de livraison de {order} ? Je "
                    "serai au travail toute la semaine, merci de livrer à :\n{address}",
                ),
                (
                    "Aucun souci : la commande n'était pas encore partie, j'ai donc modifié "
                    "l'adresse de livraison de {order} :\n\n{address}\n\nVous recevrez un "
                    "e-mail de suivi dès l'expédition.",
                    "Juste à temps ! {order} partira à la nouvelle adresse d'ici un jour ouvré.",
                ),
                (
                    "Merci ! L'e-mail de suivi arrivera-t-il à la même adresse e-mail ?",
                    "Super. Pouvez-vous aussi mettre à jour l'adresse dans mon compte ?",
                ),
                (
                    "Oui, l'e-mail de suivi est envoyé à l'adresse utilisée pour la commande. "
                    "Tout est en ordre !",
                    "C'est fait : votre compte utilise désormais la nouvelle adresse par défaut.",
                ),
            ),
        ),
        "thanks": Scenario(
            subjects=("Merci !", "Très beau colis", "Un petit mot pour vous remercier"),
            beats=(
                (
                    "Je voulais simplement vous dire que l'article « {product} » est arrivé "
                    "aujourd'hui et qu'il est encore plus beau qu'en photo. L'emballage était "
                    "adorable. Merci !",
                    "La commande {order} est arrivée ce matin. Une qualité superbe, je "
                    "recommanderai sans hésiter pour les cadeaux de Noël.",
                ),
                (
                    "Merci infiniment d'avoir pris le temps de nous écrire, cela nous a fait "
                    "très plaisir ! Profitez-en bien.",
                    "C'est très gentil, merci ! J'ai transmis votre message à l'équipe qui a "
                    "préparé votre colis.",
                ),
            ),
        ),
    },
)
