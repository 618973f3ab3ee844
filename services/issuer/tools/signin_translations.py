# ruff: noqa: E501  (a translation table: one message per line reads better than wrapped strings)
"""The development sign-in page's translations (rexvet_issuer.token_service.signin_page), one table:
`python tools/signin_translations.py` writes token_service/locales/<lang>/LC_MESSAGES/messages.po (the machinery is
the portal's and the verifier's too: rexvet_common.web_i18n). The terms follow the portal's catalogs (role names,
"Sign in"). Edit a translation here, then `make translations`; a test fails when a catalog misses a message the page
uses, or holds a fuzzy one.
"""

from __future__ import annotations

from pathlib import Path

from rexvet_common.web_i18n.catalogs import write_catalogs

LOCALES = Path(__file__).resolve().parents[1] / "src" / "rexvet_issuer" / "token_service" / "locales"
LANGUAGES = ("fi", "et", "it", "nl", "es")

# English message -> (fi, et, it, nl, es)
T: dict[str, tuple[str, str, str, str, str]] = {
    "Development sign-in": (
        "Kehityskäytön kirjautuminen",
        "Arenduskeskkonna sisselogimine",
        "Accesso di sviluppo",
        "Aanmelden voor ontwikkeling",
        "Inicio de sesión de desarrollo",
    ),
    "Language": ("Kieli", "Keel", "Lingua", "Taal", "Idioma"),
    "This page exists only in development (%(setting)s): anyone may sign in as anyone. In production people sign in through their institution's OpenID provider.": (
        "Tämä sivu on olemassa vain kehityskäytössä (%(setting)s): kuka tahansa voi kirjautua kenenä tahansa. Tuotannossa kirjaudutaan oman oppilaitoksen OpenID-palvelun kautta.",
        "See leht on olemas ainult arenduskeskkonnas (%(setting)s): igaüks võib sisse logida kellena tahes. Tootmiskeskkonnas logitakse sisse oma asutuse OpenID teenuse kaudu.",
        "Questa pagina esiste solo in sviluppo (%(setting)s): chiunque può accedere come chiunque. In produzione si accede tramite il provider OpenID del proprio istituto.",
        "Deze pagina bestaat alleen tijdens ontwikkeling (%(setting)s): iedereen kan zich als wie dan ook aanmelden. In productie meldt men zich aan via de OpenID-provider van de eigen instelling.",
        "Esta página solo existe en desarrollo (%(setting)s): cualquiera puede iniciar sesión como cualquiera. En producción se inicia sesión a través del proveedor OpenID del propio centro.",
    ),
    "Signing in to %(client)s.": (
        "Kirjaudutaan palveluun %(client)s.",
        "Sisselogimine teenusesse %(client)s.",
        "Accesso a %(client)s.",
        "Aanmelden bij %(client)s.",
        "Iniciando sesión en %(client)s.",
    ),
    "The sign-in could not go on: correct the fields marked below.": (
        "Kirjautuminen ei voinut jatkua: korjaa alla merkityt kentät.",
        "Sisselogimist ei saanud jätkata: paranda allpool märgitud väljad.",
        "L'accesso non può proseguire: correggi i campi segnalati qui sotto.",
        "Het aanmelden kon niet verder: verbeter de velden die hieronder zijn gemarkeerd.",
        "No se ha podido continuar con el inicio de sesión: corrige los campos marcados abajo.",
    ),
    "Institution": ("Oppilaitos", "Asutus", "Istituto", "Instelling", "Centro"),
    "The institution's id, e.g. omnia.": (
        "Oppilaitoksen tunniste, esim. omnia.",
        "Asutuse id, nt omnia.",
        "L'id dell'istituto, ad es. omnia.",
        "De id van de instelling, bijv. omnia.",
        "El id del centro, p. ej. omnia.",
    ),
    "Person id": ("Henkilön tunniste", "Isiku id", "Id della persona", "Id van de persoon", "Id de la persona"),
    "The person's staff id in the institution, e.g. alice.": (
        "Henkilön henkilöstötunniste oppilaitoksessa, esim. alice.",
        "Isiku töötaja id asutuses, nt alice.",
        "L'id del personale della persona nell'istituto, ad es. alice.",
        "De personeels-id van de persoon in de instelling, bijv. alice.",
        "El id de personal de la persona en el centro, p. ej. alice.",
    ),
    "Display name": ("Näytettävä nimi", "Kuvatav nimi", "Nome visualizzato", "Weergavenaam", "Nombre visible"),
    "The name pages show, e.g. Alice Virtanen.": (
        "Nimi, jonka sivut näyttävät, esim. Alice Virtanen.",
        "Nimi, mida lehed näitavad, nt Alice Virtanen.",
        "Il nome che le pagine mostrano, ad es. Alice Virtanen.",
        "De naam die de pagina's tonen, bijv. Alice Virtanen.",
        "El nombre que muestran las páginas, p. ej. Alice Virtanen.",
    ),
    "Roles": ("Roolit", "Rollid", "Ruoli", "Rollen", "Funciones"),
    "Choose one or more.": (
        "Valitse yksi tai useampi.",
        "Vali üks või mitu.",
        "Scegline uno o più.",
        "Kies er een of meer.",
        "Elige una o varias.",
    ),
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
    "Give the institution id: 1-64 letters, digits, '.', '_' or '-', e.g. omnia.": (
        "Anna oppilaitoksen tunniste: 1–64 kirjainta, numeroa tai merkkiä '.', '_' tai '-', esim. omnia.",
        "Anna asutuse id: 1–64 tähte, numbrit või märki '.', '_' või '-', nt omnia.",
        "Indica l'id dell'istituto: da 1 a 64 lettere, cifre, '.', '_' o '-', ad es. omnia.",
        "Geef de id van de instelling: 1-64 letters, cijfers, '.', '_' of '-', bijv. omnia.",
        "Indica el id del centro: de 1 a 64 letras, dígitos, '.', '_' o '-', p. ej. omnia.",
    ),
    "Give the person's staff id: 1-80 letters, digits or . _ : @ -, e.g. alice.": (
        "Anna henkilön henkilöstötunniste: 1–80 kirjainta, numeroa tai merkkiä . _ : @ -, esim. alice.",
        "Anna isiku töötaja id: 1–80 tähte, numbrit või märki . _ : @ -, nt alice.",
        "Indica l'id del personale della persona: da 1 a 80 lettere, cifre o . _ : @ -, ad es. alice.",
        "Geef de personeels-id van de persoon: 1-80 letters, cijfers of . _ : @ -, bijv. alice.",
        "Indica el id de personal de la persona: de 1 a 80 letras, dígitos o . _ : @ -, p. ej. alice.",
    ),
    "Give a display name of 1-200 characters.": (
        "Anna näytettävä nimi, 1–200 merkkiä.",
        "Anna kuvatav nimi, 1–200 märki.",
        "Indica un nome visualizzato di 1-200 caratteri.",
        "Geef een weergavenaam van 1-200 tekens.",
        "Indica un nombre visible de 1 a 200 caracteres.",
    ),
    "Choose one or more roles.": (
        "Valitse yksi tai useampi rooli.",
        "Vali üks või mitu rolli.",
        "Scegli uno o più ruoli.",
        "Kies een of meer rollen.",
        "Elige una o varias funciones.",
    ),
    "Sign in": ("Kirjaudu sisään", "Logi sisse", "Accedi", "Aanmelden", "Iniciar sesión"),
    "Cancel": ("Peruuta", "Tühista", "Annulla", "Annuleren", "Cancelar"),
}


def main() -> None:
    write_catalogs(LOCALES, project="rexvet-issuer-signin", languages=LANGUAGES, messages=T)


if __name__ == "__main__":
    main()
