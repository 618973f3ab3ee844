# ruff: noqa: E501  (a translation table: one message per line reads better than wrapped strings)
"""The verifier's public pages' translations, one table: `python tools/page_translations.py` writes
locales/<lang>/LC_MESSAGES/messages.po (the machinery is the portal's too: rexvet_common.web_i18n).

Edit a translation here, then `make translations`; a test fails when a catalog misses a message the templates, the
code or the check registry (rexvet_credentials.checks: the check titles) use, or holds a fuzzy one.
"""

from __future__ import annotations

from pathlib import Path

from rexvet_common.web_i18n.catalogs import write_catalogs

LOCALES = Path(__file__).resolve().parents[1] / "src" / "rexvet_verifier" / "locales"
LANGUAGES = ("fi", "et", "it", "nl", "es")

# English message -> (fi, et, it, nl, es)
T: dict[str, tuple[str, str, str, str, str]] = {
    # every page
    "Verify an Open Badge": (
        "Tarkista Open Badge -merkki",
        "Kontrolli Open Badge'i",
        "Verifica un Open Badge",
        "Controleer een Open Badge",
        "Verificar una insignia Open Badge",
    ),
    "rexvet verifier": (
        "rexvet-tarkistin",
        "rexveti kontrollija",
        "verificatore rexvet",
        "rexvet-controletool",
        "verificador rexvet",
    ),
    "Open Badges 3.0 verification": (
        "Open Badges 3.0 -merkkien tarkistus",
        "Open Badges 3.0 kontrollimine",
        "Verifica di Open Badges 3.0",
        "Verificatie van Open Badges 3.0",
        "Verificación de Open Badges 3.0",
    ),
    "Language": ("Kieli", "Keel", "Lingua", "Taal", "Idioma"),
    "Open Badges 3.0 and W3C Verifiable Credentials, checked one by one. What you submit is never written to disk (it is kept in memory for a while, to verify it faster a second time).": (
        "Open Badges 3.0 -merkit ja W3C:n todennettavat tunnisteet (Verifiable Credentials) tarkistetaan kohta kohdalta. Lähettämääsi ei koskaan tallenneta levylle (se pidetään hetken muistissa, jotta toinen tarkistus on nopeampi).",
        "Open Badges 3.0 ja W3C kontrollitavad tõendid (Verifiable Credentials), kontrollitud ükshaaval. Sinu saadetut ei kirjutata kunagi kettale (seda hoitakse mõnda aega mälus, et teine kontroll oleks kiirem).",
        "Open Badges 3.0 e W3C Verifiable Credentials, controllati uno per uno. Ciò che invii non viene mai scritto su disco (resta in memoria per un po', per verificarlo più velocemente una seconda volta).",
        "Open Badges 3.0 en W3C Verifiable Credentials, stuk voor stuk gecontroleerd. Wat je verstuurt, wordt nooit naar schijf geschreven (het blijft een tijdje in het geheugen, zodat een tweede controle sneller gaat).",
        "Open Badges 3.0 y credenciales verificables del W3C, comprobadas una a una. Lo que envías nunca se escribe en disco (se guarda en memoria un tiempo, para verificarlo más rápido una segunda vez).",
    ),
    # the form
    "Paste a credential (JSON with an embedded proof, or a VC-JWT), upload a baked badge image (PNG or SVG), or give the address where it is published.": (
        "Liitä osaamismerkki (JSON, jossa on upotettu todiste, tai VC-JWT), lataa merkkikuva, johon merkki on upotettu (PNG tai SVG), tai anna osoite, jossa se on julkaistu.",
        "Kleebi tõend (JSON koos manustatud tõestusega või VC-JWT), laadi üles märgipilt, millesse tõend on põimitud (PNG või SVG), või anna aadress, kus see on avaldatud.",
        "Incolla una credenziale (JSON con una prova incorporata, oppure un VC-JWT), carica l'immagine di un badge con la credenziale incorporata (PNG o SVG) oppure indica l'indirizzo in cui è pubblicata.",
        "Plak een credential (JSON met een ingebed bewijs, of een VC-JWT), upload een badge-afbeelding waarin de credential is ingebakken (PNG of SVG), of geef het adres waar die is gepubliceerd.",
        "Pega una credencial (JSON con una prueba incrustada, o un VC-JWT), sube la imagen de una insignia con la credencial incrustada (PNG o SVG) o indica la dirección donde está publicada.",
    ),
    "That could not be read": (
        "Sitä ei voitu lukea",
        "Seda ei õnnestunud lugeda",
        "Impossibile leggerlo",
        "Dat kon niet worden gelezen",
        "No se ha podido leer",
    ),
    "Details:": ("Lisätiedot:", "Üksikasjad:", "Dettagli:", "Details:", "Detalles:"),
    "Paste or upload": (
        "Liitä tai lataa",
        "Kleebi või laadi üles",
        "Incolla o carica",
        "Plakken of uploaden",
        "Pegar o subir",
    ),
    "Credential (JSON or VC-JWT)": (
        "Osaamismerkki (JSON tai VC-JWT)",
        "Tõend (JSON või VC-JWT)",
        "Credenziale (JSON o VC-JWT)",
        "Credential (JSON of VC-JWT)",
        "Credencial (JSON o VC-JWT)",
    ),
    "or a badge image (PNG or SVG, at most %(size)s)": (
        "tai merkkikuva (PNG tai SVG, enintään %(size)s)",
        "või märgipilt (PNG või SVG, kuni %(size)s)",
        "oppure l'immagine di un badge (PNG o SVG, al massimo %(size)s)",
        "of een badge-afbeelding (PNG of SVG, hoogstens %(size)s)",
        "o la imagen de una insignia (PNG o SVG, como máximo %(size)s)",
    ),
    "Verify": ("Tarkista", "Kontrolli", "Verifica", "Controleren", "Verificar"),
    "From an address": ("Osoitteesta", "Aadressilt", "Da un indirizzo", "Vanaf een adres", "Desde una dirección"),
    "or the address where the credential is published": (
        "tai osoite, jossa osaamismerkki on julkaistu",
        "või aadress, kus tõend on avaldatud",
        "oppure l'indirizzo in cui è pubblicata la credenziale",
        "of het adres waar de credential is gepubliceerd",
        "o la dirección donde está publicada la credencial",
    ),
    "Verify from address": (
        "Tarkista osoitteesta",
        "Kontrolli aadressilt",
        "Verifica dall'indirizzo",
        "Controleren vanaf adres",
        "Verificar desde la dirección",
    ),
    "Programs can send the same to %(report)s (a JSON report) or %(vc_api)s (W3C VC-API).": (
        "Ohjelmat voivat lähettää saman osoitteeseen %(report)s (JSON-raportti) tai %(vc_api)s (W3C VC-API).",
        "Programmid saavad saata sama aadressile %(report)s (JSON-aruanne) või %(vc_api)s (W3C VC-API).",
        "I programmi possono inviare lo stesso contenuto a %(report)s (un report JSON) o a %(vc_api)s (W3C VC-API).",
        "Programma's kunnen hetzelfde versturen naar %(report)s (een JSON-rapport) of %(vc_api)s (W3C VC-API).",
        "Los programas pueden enviar lo mismo a %(report)s (un informe JSON) o a %(vc_api)s (W3C VC-API).",
    ),
    # why the form came back
    "Paste a credential or choose a badge image, then press Verify.": (
        "Liitä osaamismerkki tai valitse merkkikuva ja paina sitten Tarkista.",
        "Kleebi tõend või vali märgipilt ja vajuta siis „Kontrolli“.",
        "Incolla una credenziale o scegli l'immagine di un badge, poi premi Verifica.",
        "Plak een credential of kies een badge-afbeelding en druk dan op Controleren.",
        "Pega una credencial o elige la imagen de una insignia y pulsa Verificar.",
    ),
    "The form arrived incomplete: send it again.": (
        "Lomake saapui puutteellisena: lähetä se uudelleen.",
        "Vorm jõudis kohale poolikuna: saada see uuesti.",
        "Il modulo è arrivato incompleto: invialo di nuovo.",
        "Het formulier kwam onvolledig aan: verstuur het opnieuw.",
        "El formulario llegó incompleto: vuelve a enviarlo.",
    ),
    "Give the full address, starting with https://.": (
        "Anna koko osoite alkaen https://.",
        "Anna täielik aadress, mis algab https://.",
        "Indica l'indirizzo completo, che inizia con https://.",
        "Geef het volledige adres, beginnend met https://.",
        "Indica la dirección completa, que empiece por https://.",
    ),
    "The credential or image is larger than this verifier accepts: send a smaller one.": (
        "Osaamismerkki tai kuva on suurempi kuin tämä tarkistin hyväksyy: lähetä pienempi.",
        "Tõend või pilt on suurem, kui see kontrollija vastu võtab: saada väiksem.",
        "La credenziale o l'immagine supera la dimensione accettata da questo verificatore: inviane una più piccola.",
        "De credential of afbeelding is groter dan deze controletool accepteert: stuur een kleinere.",
        "La credencial o la imagen supera el tamaño que admite este verificador: envía una más pequeña.",
    ),
    "The text is neither a credential in JSON nor a VC-JWT.": (
        "Teksti ei ole JSON-muotoinen osaamismerkki eikä VC-JWT.",
        "Tekst ei ole ei JSON-vormingus tõend ega VC-JWT.",
        "Il testo non è né una credenziale in JSON né un VC-JWT.",
        "De tekst is geen credential in JSON en ook geen VC-JWT.",
        "El texto no es ni una credencial en JSON ni un VC-JWT.",
    ),
    "The address could not be reached, or it does not hold a credential.": (
        "Osoitteeseen ei saatu yhteyttä, tai siellä ei ole osaamismerkkiä.",
        "Aadressiga ei saadud ühendust või seal ei ole tõendit.",
        "L'indirizzo non è raggiungibile oppure non contiene una credenziale.",
        "Het adres was niet bereikbaar, of er staat geen credential.",
        "No se ha podido acceder a la dirección, o no contiene ninguna credencial.",
    ),
    "This verifier does not fetch credentials from that address.": (
        "Tämä tarkistin ei hae osaamismerkkejä tuosta osoitteesta.",
        "See kontrollija ei too sellelt aadressilt tõendeid.",
        "Questo verificatore non recupera credenziali da quell'indirizzo.",
        "Deze controletool haalt geen credentials op van dat adres.",
        "Este verificador no descarga credenciales de esa dirección.",
    ),
    "The image carries no credential that can be read: choose the badge image its issuer gave you.": (
        "Kuvassa ei ole luettavaa osaamismerkkiä: valitse merkkikuva, jonka sen myöntäjä antoi sinulle.",
        "Pildil ei ole loetavat tõendit: vali märgipilt, mille väljaandja sulle andis.",
        "L'immagine non contiene una credenziale leggibile: scegli l'immagine del badge che ti ha dato chi lo ha rilasciato.",
        "De afbeelding bevat geen leesbare credential: kies de badge-afbeelding die je van de uitgever hebt gekregen.",
        "La imagen no contiene ninguna credencial legible: elige la imagen de la insignia que te dio su emisor.",
    ),
    # the result
    "Verification result": (
        "Tarkistuksen tulos",
        "Kontrolli tulemus",
        "Risultato della verifica",
        "Resultaat van de controle",
        "Resultado de la verificación",
    ),
    "Verified": ("Varmennettu", "Kontrollitud", "Verificata", "Geverifieerd", "Verificada"),
    "Not valid": ("Ei kelpaa", "Ei kehti", "Non valida", "Niet geldig", "No válida"),
    "Could not be fully verified": (
        "Ei voitu varmentaa kokonaan",
        "Ei õnnestunud täielikult kontrollida",
        "Non è stato possibile verificarla completamente",
        "Kon niet volledig worden geverifieerd",
        "No se ha podido verificar por completo",
    ),
    "Nothing failed, but at least one check could not be carried out (see below). Do not rely on this credential until it can be checked completely.": (
        "Mikään ei epäonnistunut, mutta vähintään yhtä tarkistusta ei voitu tehdä (katso alta). Älä luota tähän osaamismerkkiin, ennen kuin se voidaan tarkistaa kokonaan.",
        "Midagi ei ebaõnnestunud, kuid vähemalt ühte kontrolli ei saanud teha (vt allpool). Ära looda sellele tõendile enne, kui seda saab täielikult kontrollida.",
        "Nessun controllo è fallito, ma almeno uno non è stato possibile eseguirlo (vedi sotto). Non fare affidamento su questa credenziale finché non potrà essere verificata completamente.",
        "Er is niets mislukt, maar minstens één controle kon niet worden uitgevoerd (zie hieronder). Vertrouw niet op deze credential totdat die volledig kan worden gecontroleerd.",
        "Nada ha fallado, pero al menos una comprobación no se ha podido realizar (ver más abajo). No confíes en esta credencial hasta que pueda comprobarse por completo.",
    ),
    "At least one check failed: this credential should not be trusted.": (
        "Vähintään yksi tarkistus epäonnistui: tähän osaamismerkkiin ei pidä luottaa.",
        "Vähemalt üks kontroll ebaõnnestus: seda tõendit ei tohi usaldada.",
        "Almeno un controllo è fallito: questa credenziale non è affidabile.",
        "Minstens één controle is mislukt: deze credential is niet te vertrouwen.",
        "Al menos una comprobación ha fallado: no se debe confiar en esta credencial.",
    ),
    "The credential is authentic and valid, but read the warnings below.": (
        "Osaamismerkki on aito ja voimassa, mutta lue alla olevat varoitukset.",
        "Tõend on ehtne ja kehtiv, kuid loe allolevaid hoiatusi.",
        "La credenziale è autentica e valida, ma leggi gli avvisi qui sotto.",
        "De credential is echt en geldig, maar lees de waarschuwingen hieronder.",
        "La credencial es auténtica y válida, pero lee las advertencias de abajo.",
    ),
    "Every check passed.": (
        "Kaikki tarkistukset menivät läpi.",
        "Kõik kontrollid läbiti.",
        "Tutti i controlli sono stati superati.",
        "Alle controles zijn geslaagd.",
        "Se han superado todas las comprobaciones.",
    ),
    "Badge": ("Merkki", "Märk", "Badge", "Badge", "Insignia"),
    "Level": ("Taso", "Tase", "Livello", "Niveau", "Nivel"),
    "Description": ("Kuvaus", "Kirjeldus", "Descrizione", "Beschrijving", "Descripción"),
    "Issued by": ("Myöntäjä", "Väljaandja", "Rilasciato da", "Uitgegeven door", "Emitida por"),
    "Valid from": ("Voimassa alkaen", "Kehtib alates", "Valido dal", "Geldig vanaf", "Válida desde"),
    "Valid until": ("Voimassa asti", "Kehtib kuni", "Valido fino al", "Geldig tot", "Válida hasta"),
    "Credential": ("Osaamismerkki", "Tõend", "Credenziale", "Credential", "Credencial"),
    "(no id)": ("(ei tunnistetta)", "(identifikaatorita)", "(senza id)", "(geen id)", "(sin id)"),
    "Issuer id": (
        "Myöntäjän tunniste",
        "Väljaandja identifikaator",
        "Id dell'emittente",
        "Id van de uitgever",
        "Id del emisor",
    ),
    "(unknown)": ("(tuntematon)", "(teadmata)", "(sconosciuto)", "(onbekend)", "(desconocido)"),
    "What the credential says about itself is not shown: its signature could not be confirmed as the issuer's.": (
        "Sitä, mitä osaamismerkki kertoo itsestään, ei näytetä: sen allekirjoitusta ei voitu vahvistaa myöntäjän allekirjoitukseksi.",
        "Seda, mida tõend enda kohta ütleb, ei näidata: selle allkirja ei õnnestunud kinnitada väljaandja omana.",
        "Ciò che la credenziale dice di sé non viene mostrato: non è stato possibile confermare che la firma sia dell'emittente.",
        "Wat de credential over zichzelf zegt, wordt niet getoond: de handtekening kon niet worden bevestigd als die van de uitgever.",
        "No se muestra lo que la credencial dice de sí misma: no se ha podido confirmar que su firma sea del emisor.",
    ),
    "Warnings": ("Varoitukset", "Hoiatused", "Avvisi", "Waarschuwingen", "Advertencias"),
    "Checks": ("Tarkistukset", "Kontrollid", "Controlli", "Controles", "Comprobaciones"),
    "Check": ("Tarkistus", "Kontroll", "Controllo", "Controle", "Comprobación"),
    "Result": ("Tulos", "Tulemus", "Esito", "Resultaat", "Resultado"),
    "Details": ("Lisätiedot", "Üksikasjad", "Dettagli", "Details", "Detalles"),
    "passed": ("hyväksytty", "läbitud", "superato", "geslaagd", "superada"),
    "warning": ("varoitus", "hoiatus", "avviso", "waarschuwing", "advertencia"),
    "not checked": ("ei tarkistettu", "kontrollimata", "non controllato", "niet gecontroleerd", "no comprobada"),
    "failed": ("hylätty", "ebaõnnestus", "non superato", "mislukt", "fallida"),
    "Verify another credential": (
        "Tarkista toinen osaamismerkki",
        "Kontrolli teist tõendit",
        "Verifica un'altra credenziale",
        "Een andere credential controleren",
        "Verificar otra credencial",
    ),
    # the check registry's titles (rexvet_credentials.checks)
    "Readable credential": (
        "Luettava osaamismerkki",
        "Loetav tõend",
        "Credenziale leggibile",
        "Leesbare credential",
        "Credencial legible",
    ),
    "Known vocabulary (pinned JSON-LD contexts)": (
        "Tunnettu sanasto (kiinnitetyt JSON-LD-kontekstit)",
        "Tuntud sõnavara (kinnitatud JSON-LD kontekstid)",
        "Vocabolario noto (contesti JSON-LD fissati)",
        "Bekende woordenschat (vastgezette JSON-LD-contexten)",
        "Vocabulario conocido (contextos JSON-LD fijados)",
    ),
    "Open Badges 3.0 structure": (
        "Open Badges 3.0 -rakenne",
        "Open Badges 3.0 struktuur",
        "Struttura Open Badges 3.0",
        "Structuur van Open Badges 3.0",
        "Estructura de Open Badges 3.0",
    ),
    "JWT claims agree with the credential": (
        "JWT:n väitteet vastaavat osaamismerkkiä",
        "JWT väited vastavad tõendile",
        "Le affermazioni del JWT corrispondono alla credenziale",
        "JWT-claims komen overeen met de credential",
        "Las afirmaciones del JWT coinciden con la credencial",
    ),
    "Current Open Badges 3.0 context": (
        "Ajantasainen Open Badges 3.0 -konteksti",
        "Kehtiv Open Badges 3.0 kontekst",
        "Contesto Open Badges 3.0 attuale",
        "Actuele Open Badges 3.0-context",
        "Contexto actual de Open Badges 3.0",
    ),
    "Issuer has a name": (
        "Myöntäjällä on nimi",
        "Väljaandjal on nimi",
        "L'emittente ha un nome",
        "De uitgever heeft een naam",
        "El emisor tiene un nombre",
    ),
    "Status entries as specified": (
        "Tilamerkinnät määrityksen mukaiset",
        "Olekukirjed vastavad spetsifikatsioonile",
        "Voci di stato conformi alla specifica",
        "Statusvermeldingen volgens de specificatie",
        "Entradas de estado conformes a la especificación",
    ),
    "States when it becomes valid": (
        "Kertoo, mistä lähtien se on voimassa",
        "Ütleb, millest alates see kehtib",
        "Indica da quando è valida",
        "Vermeldt vanaf wanneer ze geldig is",
        "Indica desde cuándo es válida",
    ),
    "Signature": ("Allekirjoitus", "Allkiri", "Firma", "Handtekening", "Firma"),
    "Signing key belongs to the issuer": (
        "Allekirjoitusavain kuuluu myöntäjälle",
        "Allkirjavõti kuulub väljaandjale",
        "La chiave di firma appartiene all'emittente",
        "Ondertekeningssleutel hoort bij de uitgever",
        "La clave de firma pertenece al emisor",
    ),
    "Not revoked or suspended": (
        "Ei peruttu eikä keskeytetty",
        "Pole tühistatud ega peatatud",
        "Non revocata né sospesa",
        "Niet ingetrokken of geschorst",
        "Ni revocada ni suspendida",
    ),
    "Within its validity period": (
        "Voimassaoloajan sisällä",
        "Kehtivusaja piires",
        "Entro il periodo di validità",
        "Binnen de geldigheidsperiode",
        "Dentro de su periodo de validez",
    ),
    "Issuer registered with the consortium": (
        "Myöntäjä on rekisteröity konsortioon",
        "Väljaandja on konsortsiumis registreeritud",
        "Emittente registrato presso il consorzio",
        "Uitgever geregistreerd bij het consortium",
        "Emisor registrado en el consorcio",
    ),
}


def main() -> None:
    write_catalogs(LOCALES, project="rexvet-verifier", languages=LANGUAGES, messages=T)


if __name__ == "__main__":
    main()
