"""The prompts of every flow, in English and Spanish: production content, not demo data.

``manage.py load_content`` loads them into a fresh database (production or the embedded
default); after that the prompts belong to the editors, and loading again keeps their edits.
"""

from .models import ContactFlow, Prompt

_CLOSED = (
    "This team is closed right now. Please call back during opening hours.",
    "Este equipo está cerrado en este momento. Llame de nuevo en horario de atención.",
)
_INVALID = (
    "Sorry, that is not one of the options.",
    "Lo sentimos, esa no es una de las opciones.",
)
_GOODBYE = ("Thank you for calling. Goodbye.", "Gracias por llamar. Adiós.")
_CALLBACK = (
    "To be called back as soon as we open, press 1. To end the call, press 2.",
    "Para que le llamemos en cuanto abramos, oprima 1. Para terminar la llamada, oprima 2.",
)

FLOWS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "IntroInbound": (
        "Inbound entry: welcome and the choice of language.",
        {
            "Welcome": (
                "Thank you for calling JAM Contact Center.",
                "Gracias por llamar a JAM Contact Center.",
            ),
            "LanguageMenu": (
                "For English, press 1. Para español, oprima 2.",
                "For English, press 1. Para español, oprima 2.",
            ),
        },
    ),
    "Main": (
        "Main menu: caller lookup, announcements, departments.",
        {
            "MainMenu": (
                "For sales, press 1. For accounts, press 2. For support, press 3.",
                "Para ventas, oprima 1. Para cuentas, oprima 2. Para soporte, oprima 3.",
            ),
            "InvalidOption": _INVALID,
            "Goodbye": _GOODBYE,
        },
    ),
    "Sales": (
        "Sales menu by region.",
        {
            "SalesMenu": (
                "For the Americas, press 1. For Asia-Pacific, press 2. "
                "For Europe, the Middle East and Africa, press 3.",
                "Para las Américas, oprima 1. Para Asia-Pacífico, oprima 2. "
                "Para Europa, Oriente Medio y África, oprima 3.",
            ),
            "InvalidOption": _INVALID,
            "QueueClosed": _CLOSED,
            "CallbackOffer": _CALLBACK,
            "Goodbye": _GOODBYE,
        },
    ),
    "Account": (
        "Accounts menu.",
        {
            "AccountMenu": (
                "For balances and payments, press 1. To open an account, press 2. "
                "To close an account, press 3. If you are locked out, press 4.",
                "Para saldos y pagos, oprima 1. Para abrir una cuenta, oprima 2. "
                "Para cerrar una cuenta, oprima 3. Si su cuenta está bloqueada, oprima 4.",
            ),
            "InvalidOption": _INVALID,
            "QueueClosed": _CLOSED,
            "CallbackOffer": _CALLBACK,
            "Goodbye": _GOODBYE,
        },
    ),
    "Support": (
        "Support menu.",
        {
            "SupportMenu": (
                "For help with our product, press 1. For the mobile app, press 2. "
                "For the website, press 3.",
                "Para ayuda con nuestro producto, oprima 1. Para la aplicación móvil, oprima 2. "
                "Para el sitio web, oprima 3.",
            ),
            "InvalidOption": _INVALID,
            "QueueClosed": _CLOSED,
            "CallbackOffer": _CALLBACK,
            "Goodbye": _GOODBYE,
        },
    ),
    "SetRecording": (
        "Module: recording disclosure, or opt-in for EMEA.",
        {
            "RecordingDisclosure": (
                "This call will be recorded for quality and training.",
                "Esta llamada será grabada con fines de calidad y formación.",
            ),
            "RecordingOptIn": (
                "We would like to record this call for quality and training. "
                "To allow recording, press 1. To continue without recording, press any other key.",
                "Nos gustaría grabar esta llamada con fines de calidad y formación. "
                "Para permitirlo, oprima 1. "
                "Para continuar sin grabar, oprima cualquier otra tecla.",
            ),
            "RecordingOn": (
                "Thank you. This call will be recorded.",
                "Gracias. Esta llamada será grabada.",
            ),
            "RecordingOff": (
                "This call will not be recorded.",
                "Esta llamada no será grabada.",
            ),
        },
    ),
    "MainQueue": (
        "Customer queue flow: hold messages and the callback offer.",
        {
            "Hold": (
                "All of our agents are helping other customers. Please stay on the line.",
                "Todos nuestros agentes están atendiendo a otros clientes. No cuelgue, por favor.",
            ),
            "WaitUpdate": (
                "Thank you for waiting. You will be connected to the next available agent.",
                "Gracias por esperar. Le atenderá el próximo agente disponible.",
            ),
            "CallbackOffer": (
                "To hang up and be called back when an agent is free, press 1.",
                "Para colgar y que le llamemos cuando haya un agente libre, oprima 1.",
            ),
            "CallbackConfirmed": (
                "We will call you back at this number. Goodbye.",
                "Le llamaremos a este número. Adiós.",
            ),
        },
    ),
    "WebIngress": (
        "The call the website asks for: greeting, then straight to the queue.",
        {
            "Greeting": (
                "Hello, this is JAM Contact Center returning your request for a call.",
                "Hola, le llama JAM Contact Center por su solicitud de llamada.",
            ),
            "Verified": (
                "You signed in on our website, so you are already verified.",
                "Inició sesión en nuestro sitio web, así que ya está verificado.",
            ),
            "Connecting": (
                "Connecting you to the team you chose.",
                "Le estamos comunicando con el equipo que eligió.",
            ),
        },
    ),
    "Survey": (
        "Post-call survey: three statements, 1 (strongly agree) to 5 (strongly disagree).",
        {
            "SurveyIntro": (
                "Please stay on the line for a three-question survey about your call.",
                "Permanezca en la línea para una encuesta de tres preguntas sobre su llamada.",
            ),
            "Scale": (
                "Press 1 if you strongly agree, through 5 if you strongly disagree.",
                "Oprima 1 si está totalmente de acuerdo, hasta 5 si está totalmente en desacuerdo.",
            ),
            "Statement1": (
                "The agent understood what I needed.",
                "El agente entendió lo que necesitaba.",
            ),
            "Statement2": (
                "My issue was resolved on this call.",
                "Mi problema se resolvió en esta llamada.",
            ),
            "Statement3": (
                "It was easy to reach the right team.",
                "Fue fácil llegar al equipo correcto.",
            ),
            "InvalidOption": _INVALID,
            "Thanks": (
                "Thank you for your answers. Goodbye.",
                "Gracias por sus respuestas. Adiós.",
            ),
        },
    ),
}


def content_load() -> dict[str, int]:
    """Create the flows and prompts that are missing; leave every existing one as it is.

    Returns how many prompts were created and how many were already there (kept as edited).
    The outbox pushes the new ones to DynamoDB when the caller's transaction commits.
    """
    created = kept = 0
    for name, (description, prompts) in FLOWS.items():
        flow, _ = ContactFlow.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        existing = set(flow.prompts.values_list("prompt_id", flat=True))
        for order, (prompt_id, (english, spanish)) in enumerate(prompts.items()):
            if prompt_id in existing:
                kept += 1
                continue
            Prompt.objects.create(
                flow=flow,
                prompt_id=prompt_id,
                texts={"en-US": english, "es-US": spanish},
                order=order,
            )
            created += 1
    return {"created": created, "kept": kept}
