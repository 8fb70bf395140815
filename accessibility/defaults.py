"""The statement's first text, in Swedish: what was checked, and what is known not to be accessible.

Staff change it on /tillganglighet/redigera/ once the organisation running Planportal has
checked the facts it states (its name, its mailbox, the date of the next assessment).
"""

import datetime

# The day the checks this text describes were first run in full.
ASSESSED_ON = datetime.date(2026, 12, 2)

ORGANISATION = "Planportals systemförvaltning"

SERVICE = "Planportal, webbtjänsten där länen håller sina regionala handlingsplaner för psykisk hälsa"

NON_ACCESSIBLE = """\
**Brister i förhållande till lagkraven**

- Webbtjänsten har inte granskats med skärmläsare eller av användare med funktionsnedsättning. \
Automatiska verktyg hittar ungefär en tredjedel av alla brister, så det kan finnas brister som \
vi inte känner till.
- Uppföljningsrapportens pdf är taggad enligt PDF/UA-1 (den godkända, arkiverade versionen enligt \
PDF/A-2b med samma taggar). Den är kontrollerad med automatiska verktyg, men inte med en fullständig \
PDF/UA-validering eller med skärmläsare. Rapportens innehåll finns också som webbsida.
- Administrationsgränssnittet för systemförvaltare (/admin/) är Djangos standardgränssnitt och har \
inte granskats.

**Innehåll som inte omfattas av lagkraven**

- Kalkylark (Excel och CSV) som laddas upp för import och som kan laddas ned är dataunderlag, inte \
dokument för läsning. Samma uppgifter visas som tabeller på webbsidorna.
"""

ASSESSMENT = """\
Vi har gjort en självskattning (intern granskning) av webbtjänsten:

- Varje sidtyp, både publika sidor och sidor för inloggade, kontrolleras med verktyget axe-core \
i webbläsaren Chromium mot reglerna för WCAG 2.1 nivå A och AA. Kontrollen är en del av Planportals \
automatiska tester.
- Samordnarens vanliga arbetsgång (logga in, öppna länet och planen, ändra en aktivitets status, \
spara och öppna rapporten) och de publika sidorna testas med enbart tangentbord: synligt fokus, \
länk för att hoppa till innehållet och inga fällor för tangentbordet.
- Sidorna testas i 320 pixlars bredd, vilket motsvarar 1280 pixlar med 400 procents förstoring, \
utan att sidan behöver rullas i sidled. Breda tabeller rullas inom sig själva.
- Diagram har textalternativ och visas också som tabeller med rubriker.
"""

CONTACT = """\
Om du behöver innehåll från Planportal i ett annat format, eller om du upptäcker brister som inte \
står på den här sidan, skriv till oss.
"""
