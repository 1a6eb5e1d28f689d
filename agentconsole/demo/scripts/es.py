"""Spanish wording: customers in Spain, answered by Chloé or Mara (formal "usted")."""

from __future__ import annotations

from agentconsole.demo.scripts import LanguageScript, Scenario

SCRIPT = LanguageScript(
    language="es",
    customer_greetings=("Hola:", "Buenos días:", "Hola, equipo de Lindenhof:", ""),
    customer_signoffs=(
        "Gracias,\n{first}",
        "Un saludo,\n{full}",
        "Saludos cordiales,\n{full}",
        "Muchas gracias de antemano.\n{first}",
    ),
    agent_greeting="Hola, {first}:",
    agent_signoff="Un saludo cordial,\n{agent}\n{shop}",
    nudges=(
        "¿Hay alguna novedad? Todavía no he recibido respuesta.",
        "Les vuelvo a escribir por el mensaje de abajo. ¿Podrían responderme, por favor?",
    ),
    thanks=("¡Muchísimas gracias, perfecto!", "Genial, gracias por la ayuda."),
    auto_reply_subject="Respuesta automática: {subject}",
    auto_reply_body=(
        "Gracias por su mensaje. Esta semana estoy fuera de la oficina y con acceso limitado al "
        "correo. Le responderé a mi regreso.\n\n{full}"
    ),
    products={
        "LN-TCL": "mantel de lino",
        "LN-DUV": "funda nórdica de lino",
        "LN-FIT": "sábana bajera de lino",
        "LN-APR": "delantal de lino",
        "LN-PIL": "fundas de almohada de lino",
        "WF-TWL": "toalla de baño de nido de abeja",
        "LN-CUS": "funda de cojín de lino",
        "LN-NAP": "servilletas de lino",
    },
    scenarios={
        "wismo": Scenario(
            subjects=(
                "¿Dónde está mi pedido {order}?",
                "Pedido {order} sin recibir",
                "Estado del envío {order}",
            ),
            beats=(
                (
                    "Hice el pedido {order} hace {days} días y todavía no ha llegado nada. El "
                    "seguimiento no cambia desde hace días. ¿Podrían comprobarlo?",
                    "¿Me pueden decir dónde está mi pedido {order}? Es un regalo y lo "
                    "necesitaría antes del fin de semana.",
                ),
                (
                    "Gracias por escribirnos. Su pedido {order} ya salió de nuestro almacén y "
                    "lo tiene {carrier}. El número de seguimiento es {tracking} y puede "
                    "consultarlo aquí:\n{tracking_url}\n\nLos envíos a España suelen tardar de 4 "
                    "a 6 días laborables. Si mañana por la tarde sigue sin moverse, avíseme y "
                    "abriré una reclamación con {carrier}.",
                    "¡Disculpe la espera! Lo he comprobado: {order} se entregó a {carrier} y ya "
                    "está en camino (número de seguimiento {tracking}).\n\nEstado en directo: "
                    "{tracking_url}\n\nYo también estaré pendiente.",
                ),
                (
                    "Gracias. El seguimiento dice «en tránsito» desde hace tres días. ¿Se ha "
                    "perdido el paquete?",
                    "El enlace no se actualiza desde que salió de Alemania. ¿Hay motivo para "
                    "preocuparse?",
                ),
                (
                    "He hablado con {carrier}: el paquete estaba retenido en su centro de "
                    "clasificación y ya vuelve a estar en ruta, así que debería llegar en dos "
                    "días. Si no es así, le enviamos otro enseguida, sin esperar a la "
                    "reclamación.",
                    "{carrier} confirma que el paquete está en su oficina de reparto y se "
                    "entregará mañana. He dejado una nota en {order}: si algo más sale mal, lo "
                    "reenviaremos a nuestro cargo.",
                ),
            ),
        ),
        "returns": Scenario(
            subjects=(
                "Devolución del pedido {order}",
                "Solicitud de devolución {order}",
                "¿Cómo puedo devolver un artículo?",
            ),
            beats=(
                (
                    "Quisiera devolver el artículo «{product}» ({variant}) del pedido {order}. "
                    "Es precioso, pero la medida no es la adecuada. ¿Cómo lo hago?",
                    "El artículo «{product}» del pedido {order} no combina con nuestra casa: el "
                    "color es distinto al de la foto. ¿Puedo devolverlo y recibir el reembolso?",
                ),
                (
                    "Por supuesto: dispone de 30 días para devolver cualquier artículo sin usar. "
                    "Puede imprimir la etiqueta de devolución gratuita aquí:\n{returns_url}\n\n"
                    "Incluya en el paquete una nota con el número de pedido {order}. En cuanto "
                    "lo recibamos, le haremos el reembolso.",
                    "Ningún problema. He creado una devolución para {order}: iníciela en "
                    "{returns_url} y recibirá una etiqueta prepagada por correo. El reembolso "
                    "se hace en un máximo de 3 días laborables desde la recepción.",
                ),
                (
                    "Gracias, ayer dejé el paquete en Correos. ¿Cuánto tardará el reembolso?",
                    "El paquete ya va de camino. ¿Necesitan algo más?",
                ),
                (
                    "Su devolución ha llegado hoy y le he reembolsado {amount} en el método de "
                    "pago original. Según su banco, puede tardar unos días en verse.",
                    "Todo ha llegado en perfecto estado y el reembolso de {amount} ya está en "
                    "marcha. Si quiere ayuda para elegir otra medida, escríbame.",
                ),
            ),
        ),
        "sizing": Scenario(
            subjects=(
                "Consulta sobre medidas de ropa de cama",
                "¿Qué medida necesito para mi cama?",
                "Medida de la sábana bajera",
            ),
            beats=(
                (
                    "Nuestro colchón mide {bed} cm. ¿Qué sábana bajera y qué funda nórdica debo "
                    "pedir? No quiero que la sábana quede suelta.",
                    "Antes de hacer el pedido: ¿su ropa de cama de lino encoge al lavarla? "
                    "Nuestra cama es de {bed} cm y no sé qué medida elegir.",
                ),
                (
                    "¡Buena pregunta! Para un colchón de {bed} cm, elija la sábana bajera de "
                    "{fitted}: tiene 30 cm de bajo y se ajusta a colchones de hasta 25 cm de "
                    "alto. Para la funda nórdica, la medida habitual es {duvet}.\n\nNuestro lino "
                    "está prelavado y a 40 °C encoge como mucho un 2 %.",
                    "La sábana bajera de {fitted} está hecha para un colchón de {bed} cm, y la "
                    "mayoría de clientes la combina con la funda nórdica de {duvet}. El lino "
                    "está prelavado, así que apenas encoge si se lava a 40 °C sin secadora.",
                ),
                (
                    "Perfecto, gracias. ¿Las fundas de almohada existen en el mismo color?",
                    "¡Gracias! Una última pregunta: ¿la funda nórdica se cierra con botones o "
                    "con cremallera?",
                ),
                (
                    "Sí, todos los colores están también en fundas de almohada, en pack de dos "
                    "(50 × 75 cm y 80 × 80 cm). ¡Que disfrute de su nueva ropa de cama!",
                    "Se cierra con botones de cáscara de coco, que aguantan los lavados mucho "
                    "mejor que las cremalleras. Quedo a su disposición.",
                ),
            ),
        ),
        "teapot": Scenario(
            subjects=(
                "La tetera ha llegado rota",
                "Tetera rota – pedido {order}",
                "Artículo dañado en el pedido {order}",
            ),
            beats=(
                (
                    "Acabo de abrir el pedido {order} y la tetera de gres está rota: el pitorro "
                    "se ha desprendido y hay trozos por toda la caja. La caja exterior parecía "
                    "intacta. Adjunto fotos.",
                    "Por desgracia, la tetera del pedido {order} ha llegado hecha pedazos. La "
                    "tapa está rajada y el asa se ha soltado. Una pena, porque era un regalo.",
                ),
                (
                    "Lo siento muchísimo, nuestra tetera no debería llegar así. Le he enviado "
                    "otra sin coste con el pedido {replacement}, que sale mañana. No hace falta "
                    "que devuelva la rota.",
                    "Qué disgusto, le pido disculpas. Una tetera nueva va de camino con el "
                    "pedido {replacement}, sin ningún coste. Puede tirar los trozos sin más.",
                ),
                (
                    "No me lo puedo creer: la tetera de sustitución ({replacement}) también ha "
                    "llegado rota. Otra vez el pitorro. ¿Hay algún problema con el embalaje?",
                    "La segunda tetera también está rajada. Ya van dos veces y no sé si quiero "
                    "intentarlo una tercera.",
                ),
                (
                    "Lo siento de verdad. Lamentablemente no es un caso aislado: no volveremos "
                    "a enviar la tetera hasta que llegue nuestra nueva caja de doble pared. Le "
                    "he reembolsado {amount} por la tetera del pedido {order}. Si quiere "
                    "intentarlo de nuevo más adelante, le guardo una.",
                    "Tiene toda la razón y le pido disculpas. Este mes cambiamos el embalaje de "
                    "las teteras. Le he reembolsado la tetera completa ({amount}). ¿Quiere que "
                    "le reserve una del primer lote con el embalaje nuevo?",
                ),
                (
                    "Gracias por el reembolso. Sí, guárdeme una, el diseño me encanta.",
                    "De acuerdo, gracias. Avísenme cuando tengan el embalaje nuevo y lo volveré "
                    "a intentar.",
                ),
                (
                    "Hecho: tiene una tetera de su color reservada y le escribiré en cuanto "
                    "salga en la caja nueva. ¡Gracias por su paciencia!",
                    "Así lo haré. Está en la lista, y esa tetera corre de nuestra cuenta. "
                    "Gracias por su comprensión.",
                ),
            ),
        ),
        "invoice": Scenario(
            subjects=(
                "Factura del pedido {order}",
                "Necesito factura con NIF",
                "Copia de la factura {order}",
            ),
            beats=(
                (
                    "¿Podrían enviarme la factura del pedido {order} a nombre de nuestra "
                    "empresa? {company}, NIF {vat_id}.",
                    "No encuentro la factura del pedido {order} en mi correo. ¿Podrían enviarme "
                    "una copia en PDF?",
                ),
                (
                    "Por supuesto, le adjunto la factura de {order} en PDF. También puede "
                    "descargarla cuando quiera desde la página del pedido:\n{status_url}",
                    "Aquí tiene la factura de {order} adjunta. Si hay que cambiar la razón "
                    "social o el NIF, dígamelo y la vuelvo a emitir.",
                ),
                (
                    "Gracias. ¿Podrían añadir también nuestra referencia de pedido PO-{po}?",
                    "Gracias. La dirección que aparece es la antigua: ¿podrían poner la de la "
                    "nueva oficina?",
                ),
                (
                    "Sin problema, le adjunto la factura actualizada.",
                    "Hecho: le adjunto la factura corregida y he actualizado su cuenta para las "
                    "próximas facturas.",
                ),
            ),
        ),
        "promo": Scenario(
            subjects=(
                "El código de descuento no funciona",
                "Problema con el código {code}",
                "Pregunta sobre las rebajas",
            ),
            beats=(
                (
                    "Intento usar el código {code} de su newsletter, pero al pagar dice que no "
                    "es válido. ¿Ha caducado?",
                    "¿El código {code} sirve para artículos ya rebajados? No se aplica a las "
                    "servilletas de mi cesta.",
                ),
                (
                    "¡Disculpe! {code} no se puede combinar con artículos ya rebajados, por eso "
                    "lo rechazaba. Le he creado un código personal: con {new_code} tiene un 15 % "
                    "en toda la cesta hasta final de mes.",
                    "Gracias por avisarnos. {code} caducó el domingo, pero no queremos que se "
                    "quede sin descuento: use {new_code} para el mismo descuento, válido 14 días.",
                ),
                (
                    "¡Ha funcionado, gracias! Pedido hecho.",
                    "Genial, gracias. ¿El envío sigue siendo gratis con el código?",
                ),
                (
                    "¡Estupendo, que disfrute de sus compras!",
                    "Sí, el envío es gratuito a partir de 75 € después del descuento.",
                ),
            ),
        ),
        "address": Scenario(
            subjects=(
                "Cambio de dirección del pedido {order}",
                "Dirección incorrecta en el pedido {order}",
                "Enviar {order} a otra dirección",
            ),
            beats=(
                (
                    "Me acabo de dar cuenta de que puse mi dirección antigua en el pedido "
                    "{order}. ¿Podrían enviarlo a esta?\n\n{address}\n\n¡Perdón por las "
                    "molestias!",
                    "¿Es posible cambiar la dirección de entrega de {order}? Esa semana estaré "
                    "trabajando, así que por favor entréguenlo en:\n{address}",
                ),
                (
                    "No se preocupe: el pedido aún no había salido, así que he cambiado la "
                    "dirección de entrega de {order} a:\n\n{address}\n\nRecibirá un correo con "
                    "el seguimiento en cuanto se envíe.",
                    "¡Justo a tiempo! {order} irá a la nueva dirección y saldrá en un día "
                    "laborable.",
                ),
                (
                    "¡Gracias! ¿El correo de seguimiento llegará a la misma dirección de siempre?",
                    "Genial. ¿Pueden actualizar también la dirección en mi cuenta?",
                ),
                (
                    "Sí, el correo de seguimiento va a la dirección con la que hizo el pedido. "
                    "¡Todo listo!",
                    "Hecho: su cuenta tiene ahora la nueva dirección como predeterminada.",
                ),
            ),
        ),
        "thanks": Scenario(
            subjects=("¡Gracias!", "Un paquete precioso", "Solo quería darles las gracias"),
            beats=(
                (
                    "Solo quería decirles que el artículo «{product}» ha llegado hoy y es aún "
                    "más bonito que en las fotos. El envoltorio, precioso también. ¡Gracias!",
                    "El pedido {order} llegó esta mañana. Una calidad preciosa; seguro que "
                    "vuelvo a pedir para los regalos de Navidad.",
                ),
                (
                    "¡Muchísimas gracias por tomarse el tiempo de escribirnos, nos ha alegrado "
                    "el día! Que lo disfrute.",
                    "¡Qué amable, gracias! He compartido su mensaje con el equipo que preparó su "
                    "paquete.",
                ),
            ),
        ),
    },
)
