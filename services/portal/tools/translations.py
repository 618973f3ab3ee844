# ruff: noqa: E501  (a translation table: one message per line reads better than wrapped strings)
"""The portal's translations, one table: `python tools/translations.py` writes locales/<lang>/LC_MESSAGES/messages.po.

Edit a translation here (or in the .po files directly, then keep this table in step); a test fails when a catalog
misses a message the templates or code use, or holds a fuzzy one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

LOCALES = Path(__file__).resolve().parents[1] / "src" / "rexvet_portal" / "locales"

# English message -> (fi, et, it, nl, es)
T: dict[str, tuple[str, str, str, str, str]] = {
    "Staff member": ("Henkilöstön jäsen", "Töötaja", "Membro del personale", "Medewerker", "Miembro del personal"),
    "Coach": ("Valmentaja", "Coach", "Coach", "Coach", "Coach"),
    "Manager": ("Esihenkilö", "Juht", "Responsabile", "Leidinggevende", "Responsable"),
    "Institution admin": (
        "Oppilaitoksen ylläpitäjä",
        "Asutuse administraator",
        "Amministratore dell'istituto",
        "Beheerder van de instelling",
        "Administrador del centro",
    ),
    "Consortium admin": (
        "Konsortion ylläpitäjä",
        "Konsortsiumi administraator",
        "Amministratore del consorzio",
        "Beheerder van het consortium",
        "Administrador del consorcio",
    ),
    "presentation": ("esitys", "esitlus", "presentazione", "presentatie", "presentación"),
    "video": ("video", "video", "video", "video", "vídeo"),
    "exercise": ("harjoitus", "harjutus", "esercizio", "oefening", "ejercicio"),
    "You are enrolled. Your ladder shows your next step.": (
        "Olet ilmoittautunut. Tikapuusi näyttävät seuraavan askeleesi.",
        "Oled registreeritud. Sinu redel näitab järgmist sammu.",
        "Sei iscritto. La tua scala mostra il prossimo passo.",
        "Je bent ingeschreven. Je ladder toont je volgende stap.",
        "Te has inscrito. Tu escalera muestra tu siguiente paso.",
    ),
    "My ladder": ("Omat tikapuut", "Minu redel", "La mia scala", "Mijn ladder", "Mi escalera"),
    "Your status:": ("Tilanteesi:", "Sinu seis:", "Il tuo stato:", "Jouw status:", "Tu estado:"),
    "What this badge means": (
        "Mitä tämä merkki tarkoittaa",
        "Mida see märk tähendab",
        "Che cosa significa questo badge",
        "Wat deze badge betekent",
        "Qué significa esta insignia",
    ),
    "This module is for you if": (
        "Tämä moduuli on sinulle, jos",
        "See moodul on sulle, kui",
        "Questo modulo fa per te se",
        "Deze module is voor jou als",
        "Este módulo es para ti si",
    ),
    "What you are going to learn": (
        "Mitä opit",
        "Mida sa õpid",
        "Che cosa imparerai",
        "Wat je gaat leren",
        "Qué vas a aprender",
    ),
    "Learning outcomes": (
        "Osaamistavoitteet",
        "Õpiväljundid",
        "Risultati di apprendimento",
        "Leerresultaten",
        "Resultados de aprendizaje",
    ),
    "Training topics": (
        "Koulutuksen aiheet",
        "Koolituse teemad",
        "Argomenti della formazione",
        "Trainingsonderwerpen",
        "Temas de formación",
    ),
    "Steps": ("Vaiheet", "Sammud", "Passi", "Stappen", "Pasos"),
    "signed off by your coach": (
        "valmentajasi kuittaa",
        "kinnitab sinu coach",
        "convalidato dal tuo coach",
        "afgetekend door je coach",
        "lo valida tu coach",
    ),
    "you mark it done yourself": (
        "merkitset itse tehdyksi",
        "märgid ise tehtuks",
        "lo segni tu come fatto",
        "je vinkt het zelf af",
        "lo marcas tú como hecho",
    ),
    "optional": ("valinnainen", "valikuline", "facoltativo", "optioneel", "opcional"),
    "Evidence": ("Näyttö", "Tõendid", "Evidenze", "Bewijs", "Evidencias"),
    "Also counts, from your institution's HR system:": (
        "Lasketaan myös oppilaitoksesi HR-järjestelmästä:",
        "Arvestatakse ka sinu asutuse personalisüsteemist:",
        "Vale anche, dal sistema HR del tuo istituto:",
        "Telt ook mee, uit het hr-systeem van je instelling:",
        "También cuenta, desde el sistema de RR. HH. de tu centro:",
    ),
    "You can submit evidence for it yourself.": (
        "Voit lähettää siitä näytön itse.",
        "Saad selle kohta ise tõendi esitada.",
        "Puoi inviare tu stesso le evidenze.",
        "Je kunt er zelf bewijs voor indienen.",
        "Puedes enviar tú mismo la evidencia.",
    ),
    "Prerequisites": ("Edellytykset", "Eeltingimused", "Prerequisiti", "Voorwaarden", "Requisitos previos"),
    "None: anyone can start here.": (
        "Ei ole: kuka tahansa voi aloittaa tästä.",
        "Puuduvad: siit võib alustada igaüks.",
        "Nessuno: chiunque può iniziare da qui.",
        "Geen: iedereen kan hier beginnen.",
        "Ninguno: cualquiera puede empezar aquí.",
    ),
    "Enrol": ("Ilmoittaudu", "Registreeru", "Iscriviti", "Inschrijven", "Inscribirse"),
    "Your coach": ("Valmentajasi", "Sinu coach", "Il tuo coach", "Je coach", "Tu coach"),
    "No coach of your institution is in the directory yet (coaches appear once they have signed in). Give your coach's staff id, e.g. carl, or leave it empty if your institution assigns one.": (
        "Oppilaitoksesi valmentajia ei ole vielä hakemistossa (valmentajat näkyvät, kun he ovat kirjautuneet sisään). Anna valmentajasi henkilötunnus, esim. carl, tai jätä tyhjäksi, jos oppilaitoksesi nimeää valmentajan.",
        "Sinu asutuse coache pole veel kataloogis (coachid ilmuvad, kui nad on sisse loginud). Sisesta oma coachi töötajatunnus, nt carl, või jäta tühjaks, kui asutus määrab coachi ise.",
        "Nessun coach del tuo istituto è ancora nell'elenco (i coach compaiono dopo il loro primo accesso). Indica l'identificativo del tuo coach, ad es. carl, o lascia vuoto se è il tuo istituto ad assegnarlo.",
        "Er staat nog geen coach van je instelling in de lijst (coaches verschijnen zodra ze zich hebben aangemeld). Geef het personeelsnummer van je coach, bijv. carl, of laat leeg als je instelling er een toewijst.",
        "Todavía no hay ningún coach de tu centro en el directorio (los coaches aparecen cuando han iniciado sesión). Indica el identificador de tu coach, p. ej. carl, o déjalo vacío si tu centro te asigna uno.",
    ),
    "Choose one of your institution's coaches, or let your institution assign one.": (
        "Valitse yksi oppilaitoksesi valmentajista tai anna oppilaitoksesi nimetä valmentaja.",
        "Vali üks oma asutuse coachidest või lase asutusel coach määrata.",
        "Scegli uno dei coach del tuo istituto, oppure lascia che sia il tuo istituto ad assegnarlo.",
        "Kies een van de coaches van je instelling, of laat je instelling er een toewijzen.",
        "Elige uno de los coaches de tu centro, o deja que tu centro te asigne uno.",
    ),
    "My institution assigns my coach": (
        "Oppilaitokseni nimeää valmentajani",
        "Minu asutus määrab mulle coachi",
        "Il mio istituto mi assegna il coach",
        "Mijn instelling wijst mijn coach toe",
        "Mi centro me asigna el coach",
    ),
    "Choose a coach from the list.": (
        "Valitse valmentaja luettelosta.",
        "Vali coach loendist.",
        "Scegli un coach dall'elenco.",
        "Kies een coach uit de lijst.",
        "Elige un coach de la lista.",
    ),
    "Give your coach's staff id: letters, digits or . _ : @ -": (
        "Anna valmentajasi henkilötunnus: kirjaimia, numeroita tai . _ : @ -",
        "Sisesta coachi töötajatunnus: tähed, numbrid või . _ : @ -",
        "Inserisci l'identificativo del tuo coach: lettere, cifre o . _ : @ -",
        "Vul het personeelsnummer van je coach in: letters, cijfers of . _ : @ -",
        "Escribe el identificador de tu coach: letras, cifras o . _ : @ -",
    ),
    "Enrol in %(badge)s": (
        "Ilmoittaudu: %(badge)s",
        "Registreeru: %(badge)s",
        "Iscriviti a %(badge)s",
        "Inschrijven voor %(badge)s",
        "Inscríbete en %(badge)s",
    ),
    "Back to my ladder": (
        "Takaisin tikapuihin",
        "Tagasi minu redelile",
        "Torna alla mia scala",
        "Terug naar mijn ladder",
        "Volver a mi escalera",
    ),
    "Skip to content": (
        "Siirry sisältöön",
        "Liigu sisu juurde",
        "Vai al contenuto",
        "Naar de inhoud",
        "Ir al contenido",
    ),
    "Main": ("Päävalikko", "Peamenüü", "Principale", "Hoofdmenu", "Principal"),
    "My badges": ("Omat merkit", "Minu märgid", "I miei badge", "Mijn badges", "Mis insignias"),
    "Sign out": ("Kirjaudu ulos", "Logi välja", "Esci", "Afmelden", "Cerrar sesión"),
    "Language": ("Kieli", "Keel", "Lingua", "Taal", "Idioma"),
    "rexvet: Open Badges for the internationalisation of VET staff.": (
        "rexvet: Open Badges -merkit ammatillisen koulutuksen henkilöstön kansainvälistymiseen.",
        "rexvet: Open Badges märgid kutsehariduse töötajate rahvusvahelistumiseks.",
        "rexvet: Open Badges per l'internazionalizzazione del personale dell'IFP.",
        "rexvet: Open Badges voor de internationalisering van mbo-personeel.",
        "rexvet: Open Badges para la internacionalización del personal de FP.",
    ),
    "Not found": ("Ei löytynyt", "Ei leitud", "Non trovato", "Niet gevonden", "No encontrado"),
    "Not allowed": ("Ei sallittu", "Pole lubatud", "Non consentito", "Niet toegestaan", "No permitido"),
    "Temporarily unavailable": (
        "Tilapäisesti poissa käytöstä",
        "Ajutiselt kättesaamatu",
        "Temporaneamente non disponibile",
        "Tijdelijk niet beschikbaar",
        "No disponible temporalmente",
    ),
    "Sign-in did not succeed": (
        "Kirjautuminen ei onnistunut",
        "Sisselogimine ebaõnnestus",
        "Accesso non riuscito",
        "Aanmelden is niet gelukt",
        "No se ha podido iniciar sesión",
    ),
    "Something went wrong": (
        "Jokin meni vikaan",
        "Midagi läks valesti",
        "Qualcosa è andato storto",
        "Er ging iets mis",
        "Algo ha salido mal",
    ),
    "There is nothing here, or it is not yours to see.": (
        "Täällä ei ole mitään, tai se ei ole sinun nähtävissäsi.",
        "Siin pole midagi või ei ole see sinu jaoks nähtav.",
        "Qui non c'è nulla, oppure non puoi vederlo.",
        "Hier is niets, of het is niet voor jou bestemd.",
        "Aquí no hay nada, o no te corresponde verlo.",
    ),
    "Your role does not allow this page. If you think it should, ask your institution's administrator.": (
        "Roolisi ei salli tätä sivua. Jos sen pitäisi, kysy oppilaitoksesi ylläpitäjältä.",
        "Sinu roll ei luba seda lehte. Kui peaks lubama, küsi oma asutuse administraatorilt.",
        "Il tuo ruolo non consente questa pagina. Se pensi che dovrebbe, chiedi all'amministratore del tuo istituto.",
        "Je rol geeft geen toegang tot deze pagina. Denk je dat dat wel zou moeten, vraag het de beheerder van je instelling.",
        "Tu rol no permite esta página. Si crees que debería, pregunta al administrador de tu centro.",
    ),
    "This form has expired or did not come from this site. Go back, reload the page and send it again.": (
        "Lomake on vanhentunut tai se ei tullut tältä sivustolta. Palaa takaisin, lataa sivu uudelleen ja lähetä se uudestaan.",
        "Vorm on aegunud või ei tulnud sellelt saidilt. Mine tagasi, laadi leht uuesti ja saada vorm uuesti.",
        "Il modulo è scaduto o non proviene da questo sito. Torna indietro, ricarica la pagina e invialo di nuovo.",
        "Dit formulier is verlopen of kwam niet van deze site. Ga terug, laad de pagina opnieuw en verstuur het nog eens.",
        "El formulario ha caducado o no procede de este sitio. Vuelve atrás, recarga la página y envíalo de nuevo.",
    ),
    "A part of rexvet (%(service)s) is not answering right now. Nothing you did caused this; try again in a moment.": (
        "Osa rexvetistä (%(service)s) ei vastaa juuri nyt. Et tehnyt mitään väärin; yritä hetken päästä uudelleen.",
        "Osa rexvetist (%(service)s) ei vasta praegu. See pole sinu süü; proovi hetke pärast uuesti.",
        "Una parte di rexvet (%(service)s) non risponde in questo momento. Non dipende da te; riprova tra poco.",
        "Een deel van rexvet (%(service)s) reageert nu niet. Het ligt niet aan jou; probeer het zo opnieuw.",
        "Una parte de rexvet (%(service)s) no responde ahora mismo. No es culpa tuya; vuelve a intentarlo en un momento.",
    ),
    "The sign-in was cancelled, took too long or could not be checked.": (
        "Kirjautuminen peruttiin, kesti liian kauan tai sitä ei voitu tarkistaa.",
        "Sisselogimine katkestati, võttis liiga kaua aega või seda ei saanud kontrollida.",
        "L'accesso è stato annullato, ha richiesto troppo tempo o non è stato possibile verificarlo.",
        "Het aanmelden is geannuleerd, duurde te lang of kon niet worden gecontroleerd.",
        "El inicio de sesión se canceló, tardó demasiado o no se pudo comprobar.",
    ),
    "Sign in again": (
        "Kirjaudu uudelleen",
        "Logi uuesti sisse",
        "Accedi di nuovo",
        "Opnieuw aanmelden",
        "Vuelve a iniciar sesión",
    ),
    "This request could not be carried out. Go back and check what you sent.": (
        "Pyyntöä ei voitu toteuttaa. Palaa takaisin ja tarkista, mitä lähetit.",
        "Päringut ei saanud täita. Mine tagasi ja kontrolli, mida saatsid.",
        "Non è stato possibile eseguire la richiesta. Torna indietro e controlla che cosa hai inviato.",
        "Dit verzoek kon niet worden uitgevoerd. Ga terug en controleer wat je hebt verstuurd.",
        "No se ha podido llevar a cabo la solicitud. Vuelve atrás y revisa lo que enviaste.",
    ),
    "An unexpected error happened; it has been logged. Try again in a moment.": (
        "Tapahtui odottamaton virhe, ja se on kirjattu. Yritä hetken päästä uudelleen.",
        "Tekkis ootamatu viga ja see on logitud. Proovi hetke pärast uuesti.",
        "Si è verificato un errore imprevisto, che è stato registrato. Riprova tra poco.",
        "Er is een onverwachte fout opgetreden; die is vastgelegd. Probeer het zo opnieuw.",
        "Se ha producido un error inesperado y ha quedado registrado. Vuelve a intentarlo en un momento.",
    ),
    "Go to the front page": (
        "Etusivulle",
        "Avalehele",
        "Vai alla pagina iniziale",
        "Naar de startpagina",
        "Ir a la página de inicio",
    ),
    "Welcome": ("Tervetuloa", "Tere tulemast", "Benvenuto", "Welkom", "Bienvenida"),
    "Grow your international skills, one badge at a time": (
        "Kasvata kansainvälistä osaamistasi merkki kerrallaan",
        "Kasvata oma rahvusvahelisi oskusi märk märgi haaval",
        "Fai crescere le tue competenze internazionali, un badge alla volta",
        "Laat je internationale vaardigheden groeien, badge voor badge",
        "Haz crecer tus competencias internacionales, insignia a insignia",
    ),
    "rexvet shows teachers and other VET staff where they stand on the ladder from Rookie to Expert, at home and abroad, what to do next, and gives them Open Badges anyone can verify.": (
        "rexvet näyttää opettajille ja muulle ammatillisen koulutuksen henkilöstölle, missä he ovat tikapuilla aloittelijasta asiantuntijaksi kotimaassa ja ulkomailla, mitä tehdä seuraavaksi, ja antaa heille Open Badges -merkkejä, jotka kuka tahansa voi tarkistaa.",
        "rexvet näitab õpetajatele ja teistele kutsehariduse töötajatele, kus nad redelil algajast eksperdini kodus ja välismaal asuvad, mida järgmiseks teha, ning annab neile Open Badges märke, mida igaüks saab kontrollida.",
        "rexvet mostra a docenti e altro personale dell'IFP a che punto sono sulla scala da principiante a esperto, in patria e all'estero, che cosa fare dopo, e rilascia Open Badges che chiunque può verificare.",
        "rexvet laat docenten en ander mbo-personeel zien waar ze staan op de ladder van beginner tot expert, thuis en in het buitenland, wat ze nu kunnen doen, en geeft hun Open Badges die iedereen kan controleren.",
        "rexvet muestra al profesorado y demás personal de FP en qué punto de la escalera de principiante a experto están, en casa y en el extranjero, qué hacer a continuación, y les otorga Open Badges que cualquiera puede verificar.",
    ),
    "Sign in": ("Kirjaudu sisään", "Logi sisse", "Accedi", "Aanmelden", "Iniciar sesión"),
    "Your next step:": (
        "Seuraava askeleesi:",
        "Sinu järgmine samm:",
        "Il tuo prossimo passo:",
        "Je volgende stap:",
        "Tu siguiente paso:",
    ),
    "Open %(badge)s": ("Avaa %(badge)s", "Ava %(badge)s", "Apri %(badge)s", "Open %(badge)s", "Abrir %(badge)s"),
    "Levels of %(direction)s, highest first": (
        "Suunnan %(direction)s tasot, ylin ensin",
        "Suuna %(direction)s tasemed, kõrgeim eespool",
        "Livelli di %(direction)s, dal più alto",
        "Niveaus van %(direction)s, hoogste eerst",
        "Niveles de %(direction)s, del más alto al más bajo",
    ),
    "Held": ("Saavutettu", "Omandatud", "Ottenuto", "Behaald", "Conseguido"),
    "In progress": ("Kesken", "Pooleli", "In corso", "Bezig", "En curso"),
    "Next": ("Seuraavaksi", "Järgmine", "Prossimo", "Volgende", "Siguiente"),
    "Locked": ("Lukittu", "Lukus", "Bloccato", "Op slot", "Bloqueado"),
    "Enrol in %(badge)s to reach the next level in %(direction)s.": (
        "Ilmoittaudu polulle %(badge)s saavuttaaksesi seuraavan tason suunnassa %(direction)s.",
        "Registreeru rajale %(badge)s, et jõuda suunas %(direction)s järgmisele tasemele.",
        "Iscriviti a %(badge)s per raggiungere il livello successivo in %(direction)s.",
        "Schrijf je in voor %(badge)s om het volgende niveau in %(direction)s te halen.",
        "Inscríbete en %(badge)s para alcanzar el siguiente nivel en %(direction)s.",
    ),
    "Next in %(badge)s: %(step)s.": (
        "Seuraavaksi polulla %(badge)s: %(step)s.",
        "Järgmisena rajal %(badge)s: %(step)s.",
        "Prossimo passo in %(badge)s: %(step)s.",
        "Volgende stap in %(badge)s: %(step)s.",
        "Siguiente paso en %(badge)s: %(step)s.",
    ),
    "Ask your coach to sign off “%(step)s” in %(badge)s.": (
        "Pyydä valmentajaasi kuittaamaan ”%(step)s” polulla %(badge)s.",
        "Palu oma coachil kinnitada „%(step)s” rajal %(badge)s.",
        "Chiedi al tuo coach di convalidare «%(step)s» in %(badge)s.",
        "Vraag je coach om „%(step)s” in %(badge)s af te tekenen.",
        "Pide a tu coach que valide «%(step)s» en %(badge)s.",
    ),
    "Submit evidence for %(badge)s: %(requirement)s": (
        "Lähetä näyttö polulle %(badge)s: %(requirement)s",
        "Esita tõend rajale %(badge)s: %(requirement)s",
        "Invia le evidenze per %(badge)s: %(requirement)s",
        "Dien bewijs in voor %(badge)s: %(requirement)s",
        "Envía la evidencia para %(badge)s: %(requirement)s",
    ),
    "You have met the conditions of %(badge)s: your badge is being issued.": (
        "Olet täyttänyt merkin %(badge)s ehdot: merkkiäsi myönnetään.",
        "Oled täitnud märgi %(badge)s tingimused: sinu märki väljastatakse.",
        "Hai soddisfatto i requisiti di %(badge)s: il tuo badge è in fase di rilascio.",
        "Je voldoet aan de voorwaarden van %(badge)s: je badge wordt uitgereikt.",
        "Cumples las condiciones de %(badge)s: tu insignia se está emitiendo.",
    ),
    "Your %(badge)s pathway is paused; talk to your coach.": (
        "Polkusi %(badge)s on tauolla; keskustele valmentajasi kanssa.",
        "Sinu rada %(badge)s on peatatud; räägi oma coachiga.",
        "Il tuo percorso %(badge)s è in pausa; parlane con il tuo coach.",
        "Je traject %(badge)s is gepauzeerd; overleg met je coach.",
        "Tu itinerario %(badge)s está en pausa; habla con tu coach.",
    ),
    "You hold the highest level of %(direction)s: share your badge and mentor colleagues.": (
        "Olet suunnan %(direction)s ylimmällä tasolla: jaa merkkisi ja mentoroi kollegoita.",
        "Sul on suuna %(direction)s kõrgeim tase: jaga oma märki ja juhenda kolleege.",
        "Hai il livello più alto di %(direction)s: condividi il tuo badge e fai da mentore ai colleghi.",
        "Je hebt het hoogste niveau van %(direction)s: deel je badge en begeleid collega's.",
        "Tienes el nivel más alto de %(direction)s: comparte tu insignia y orienta a tus colegas.",
    ),
    "You have no badges yet. Your ladder shows how to earn the first one.": (
        "Sinulla ei ole vielä merkkejä. Tikapuusi näyttävät, miten ansaitset ensimmäisen.",
        "Sul pole veel märke. Sinu redel näitab, kuidas esimene teenida.",
        "Non hai ancora badge. La tua scala mostra come ottenere il primo.",
        "Je hebt nog geen badges. Je ladder laat zien hoe je de eerste behaalt.",
        "Aún no tienes insignias. Tu escalera muestra cómo conseguir la primera.",
    ),
    "Issued by %(issuer)s on %(date)s": (
        "Myöntäjä %(issuer)s, %(date)s",
        "Väljastaja %(issuer)s, %(date)s",
        "Rilasciato da %(issuer)s il %(date)s",
        "Uitgereikt door %(issuer)s op %(date)s",
        "Emitida por %(issuer)s el %(date)s",
    ),
    "valid until %(date)s": (
        "voimassa %(date)s asti",
        "kehtib kuni %(date)s",
        "valido fino al %(date)s",
        "geldig tot %(date)s",
        "válida hasta el %(date)s",
    ),
    "This badge has been revoked: it no longer verifies.": (
        "Tämä merkki on peruttu: se ei enää läpäise tarkistusta.",
        "See märk on tühistatud: see ei läbi enam kontrolli.",
        "Questo badge è stato revocato: non supera più la verifica.",
        "Deze badge is ingetrokken: hij is niet meer geldig bij controle.",
        "Esta insignia ha sido revocada: ya no supera la verificación.",
    ),
    "This badge is suspended for now: it does not verify until it is reinstated.": (
        "Tämä merkki on toistaiseksi jäädytetty: se ei läpäise tarkistusta ennen palauttamista.",
        "See märk on praegu peatatud: see ei läbi kontrolli enne taastamist.",
        "Questo badge è sospeso: non supera la verifica finché non viene ripristinato.",
        "Deze badge is voorlopig opgeschort: hij is pas weer geldig na herstel.",
        "Esta insignia está suspendida: no supera la verificación hasta que se restablezca.",
    ),
    "Public page": ("Julkinen sivu", "Avalik leht", "Pagina pubblica", "Openbare pagina", "Página pública"),
    "Download:": ("Lataa:", "Laadi alla:", "Scarica:", "Downloaden:", "Descargar:"),
    "Verify": ("Tarkista", "Kontrolli", "Verifica", "Controleren", "Verificar"),
    "Add to LinkedIn profile": (
        "Lisää LinkedIn-profiiliin",
        "Lisa LinkedIni profiili",
        "Aggiungi al profilo LinkedIn",
        "Toevoegen aan LinkedIn-profiel",
        "Añadir al perfil de LinkedIn",
    ),
}

# Plural messages: English (singular, plural) -> per language its plural forms (CLDR counts as babel knows them).
P: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    ("You have %(num)s badge.", "You have %(num)s badges."): (
        ("Sinulla on %(num)s merkki.", "Sinulla on %(num)s merkkiä."),
        ("Sul on %(num)s märk.", "Sul on %(num)s märki."),
        ("Hai %(num)s badge.", "Hai %(num)s badge.", "Hai %(num)s badge."),  # one, many, other
        ("Je hebt %(num)s badge.", "Je hebt %(num)s badges."),
        ("Tienes %(num)s insignia.", "Tienes %(num)s insignias.", "Tienes %(num)s insignias."),  # one, many, other
    ),
}

LANGUAGES = ("fi", "et", "it", "nl", "es")
CATALOG_DATE = datetime(2026, 12, 3, tzinfo=UTC)


def main() -> None:
    for index, language in enumerate(LANGUAGES):
        # A fixed date: regenerating an unchanged table leaves the files unchanged.
        catalog = Catalog(locale=language, project="rexvet-portal", fuzzy=False, creation_date=CATALOG_DATE)
        for english, translations in T.items():
            catalog.add(english, translations[index])
        for (singular, plural), forms in P.items():
            catalog.add((singular, plural), forms[index])
        path = LOCALES / language / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            write_po(target, catalog, width=120, omit_header=False, sort_output=True)


if __name__ == "__main__":
    main()
