"""The words the place rules read, as data: each list says what its words do around a place name.

``recognise`` and ``roles`` use them; the tests in tests/test_place_roles.py and tests/test_places.py
hold the sentences of the project's own that each list must handle.
"""
from __future__ import annotations

# Lower-case words that may sit inside a place name ("Bay of Islands", "Deir ez-Zor", "Abu al-Duhur").
CONNECTORS = frozenset(
    "of de del della di da do dos das du des la le les el al ad ar as ash az an at ez es et y upon on the "
    "bin ibn sur am au aux en sous i e".split())  # (Persian "i"/"e": "Qala i Naw", "Rabat-e Sangi")
# Kind-of-place words after a name that say which of its namesakes is meant: "Kandal village" is no
# province, "Kirkuk governorate" no city.
SETTLEMENT_KINDS = frozenset("village villages town city hamlet township suburb neighbourhood neighborhood".split())
AREA_KINDS = frozenset("province governorate state region oblast prefecture department county district territory "
                       "lga payam woreda commune subdistrict sub-district subdivision municipality raion "
                       "upazila tehsil taluka taluk mandal countryside".split())  # ("Idlib countryside": the governorate around the city)
# The kinds of area a few tens of kilometres across (not a Latin American municipality or a US county)
DISTRICT_KINDS = frozenset("district lga subdistrict sub-district payam woreda upazila tehsil taluka taluk mandal".split())
# Prepositions after which a town's name is the town, even one spelled like a given name ("in Rafaela"):
# not "at" or "from", which people follow too ("at Mary's", "a call from Victoria").
LOCATIVE_PREPOSITIONS = frozenset("in near outside inside into across around".split())
# Connectors that join a name across a plain space; the others only across a hyphen ("Deir ez-Zor",
# "Khan-al-Asal"), so that "Lyon on April 9" and "Leeds at Home" stay apart.
SPACED_CONNECTORS = frozenset("of de del della di da do dos das du des la le les el al y upon the bin ibn i".split())
# Articles after "de" inside a Spanish, Portuguese or French name: "Santa Cruz de la Sierra".
ARTICLES_AFTER_DE = frozenset("la las los".split())
ARABIC_ARTICLES = frozenset("al el ad ar as ash az an at ez es adh ath".split())
# A name starting with these is a person ("Abu Bakr", "Umm Sayyaf", "Ibn Taymiyyah"), unless it is a known
# place ("Abu Dhabi", "Abu Ghraib"), which the longest match finds first.
PERSON_PARTICLES = frozenset("abu umm ibn bin bint ben".split())

# Titles and roles before a name make it a person ("Gen. Grace T. Okafor", "Colonel Whitfield").
TITLES = frozenset("""
mr mrs ms miss dr prof president vice gen general col colonel lt lieutenant capt captain maj major sgt
sergeant cpl corporal pvt private adm admiral cmdr commander sen senator rep representative gov governor
secretary minister premier chancellor ambassador sheikh sheik shaykh king queen prince princess pope
prophet imam mullah emir amir caliph judge justice officer chief director spokesman spokeswoman
spokesperson ayatollah haji hajji rev reverend father sister brother lord lady sir dame mayor dep deputy
chairman chairwoman chair speaker councilman councilwoman councillor detective sheriff trooper congressman
congresswoman congressmember assemblyman assemblywoman assemblymember alderwoman
coach pastor rabbi bishop cardinal archbishop saint st attorney professor analyst researcher
correspondent reporter editor author writer founder leader commander-in-chief marshal ms. sens reps
comptroller coroner clerk auditor treasurer commissioner assessor prosecutor selectman selectwoman alderman
mpp mp mep
""".split()) - {"saint", "st"}
SPEECH_VERBS = frozenset("said says say told tells added adds noted notes wrote writes asked asks "
                         "explained explains according".split())
# A place followed by one of these (in the same capitalised run) names an organisation, not the place.
# (Local institutions named after their town -- "Leeds Police", "Dayton Public Library", "Kansas
# Bureau of Investigation" -- keep the place: the town is meant, and news corpora annotate it.)
ORGANISATION_WORDS = frozenset("""
times post journal herald tribune observer chronicle gazette telegraph guardian news daily press
observatory institute institution project foundation forces front party brigade brigades
battalion regiment division movement group company corp corporation inc ltd llc airlines airways
fund network media broadcasting radio television tv magazine monitor initiative watch alliance
coalition organization organisation fc unit units squad squads
""".split())
# A place followed by one of these names a street or a building ("Denver Lane", "Athens High").
FACILITY_WORDS = frozenset("""
street st avenue ave road rd drive dr boulevard blvd lane ln highway hwy parkway pkwy way court ct
place pl terrace trail circle square plaza bridge tunnel mall stadium arena theater theatre hotel
""".split())
# Words that are places somewhere (a village "North", a province "Western", "Central") but, alone, are
# directions and generic geography.
GENERIC_WORDS = frozenset("""
north south east west northeast northwest southeast southwest northern southern eastern western central
nord sud
middle upper lower greater inner outer gulf coast river lake mount mountain valley bay island islands city
county state states park street avenue road downtown uptown midtown old new union capital federal national
international republic kingdom tri-state interstate metro metropolitan center centre mid
arab arabs kurd kurds jew jews muslim muslims christian christians sunni sunnis shia shiite shiites alawite
druze yazidi yazidis bedouin hamas hezbollah taliban
""".split())
# Capitalised words after an adjective of nationality that keep it a modifier of a country's role
# ("Russian President Ivan Orlov", "the Iraqi Foreign Ministry").
ROLE_WORDS = TITLES | frozenset("foreign prime defense defence interior government embassy state air "
                                "officials authorities ministry".split())
# First words of Arabic, Persian and Pashto place names ("Tal Tamir", "Deir Hafer", "Ras al-Ain").
PLACE_PREFIXES = frozenset("tal tall tel tell deir dayr dair ras ain ayn bir jabal jebel jisr kafr khan qasr "
                           "wadi marj qalat qala sheikh shaykh umm".split())
CONTRACTION_ENDINGS = ("ve", "re", "ll", "d", "m", "t", "s")
OPERATION_WORDS = frozenset("operation battle siege campaign offensive".split())
MONTHS_AND_DAYS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
""".split())
# Nouns after an adjective of nationality that make it a place ("the western Iraqi deserts").
PLACE_NOUNS = frozenset("""
border borders frontier desert deserts countryside territory territories city cities town towns village
villages province provinces region regions coast coastline capital soil side land lands mainland
countries country state states waters airspace mountains highlands plains heartland interior north south
east west north-east north-west south-east south-west northeast northwest southeast southwest
""".split())
# Lower-case words after a name that say what kind of place it is ("Anbar province", "al-Hol camp").
KIND_WORDS = frozenset("""
province governorate state region district county parish oblast prefecture department territory camp
prison jail base airbase airfield border crossing river valley dam desert deserts mountains mountain lake
oilfield oil field refinery airport plains plain forest city town village lga lgas township regency
subdistrict sub-district municipality commune sector locality neighbourhood neighborhood quarter suburb
area zone station checkpoint bridge port harbour island islands peninsula twp payam woreda subdivision
raion rayon cercle upazila tehsil taluka taluk mandal
""".split())
COMMON_WORD_ZIPF = 3.6  # "triangle" 3.9, "mosul" 3.3: above this a capitalised word may just be a word
VERY_COMMON_ZIPF = 4.5  # "hope" 5.4, "police" 5.3

STRONG_FEATURES = frozenset({"country", "continent", "admin1", "region", "sea", "river", "desert"})

# Words after a place that make it money, not a place ("the US dollar", "Iraqi dinars", "Swiss franc").
# Diseases named after a place ("Marburg virus", "Lassa fever"): the name is the disease's, not where it is.
DISEASE_WORDS = frozenset("virus viruses fever flu influenza disease".split())
CURRENCY_WORDS = frozenset("""
dollar dollars pound pounds sterling dinar dinars rial rials riyal riyals lira liras lire euro euros rupee
rupees naira shilling shillings franc francs peso pesos yuan renminbi yen rouble roubles ruble rubles
afghani afghanis kwacha rand cedi dirham dirhams birr leone leones real reais won ringgit baht taka
""".split())
# Words before a place that make it a yardstick ("an area the size of Belgium", "twice as big as Wales").
COMPARISON_BEFORE = ("the size of", "size of", "larger than", "bigger than", "smaller than", "as large as",
                     "as big as", "as small as", "times the size of")
# Bodies of a state: "forces of Armenia", "the army of Mali", "Nigeria's police" are actors, not places.
# Lower-case words after a town that make it the name of a road leading there ("on the Murree road"): the
# road is not the town, and the town is no event's place.
ROUTE_WORDS = frozenset("road highway motorway expressway route bypass".split())
BODY_WORDS = frozenset("""
forces force army armies military troops soldiers police government governments regime ministry
embassy consulate navy air-force authorities officials delegation parliament administration
intelligence militia militias guard guards border-guards coalition
""".split())
# After a hyphen: "US-led", "Iran-backed", "UK-based" (the place qualifies an actor).
ACTOR_SUFFIXES = frozenset("led backed based allied sponsored funded aligned supported trained affiliated "
                           "controlled held run owned".split())
# Words that, right after a name, make a place of another name ("Auckland Park", "Morton's Ford",
# "New Town Heights"): the longer run is another place, not the one the first words name.
SETTLEMENT_WORDS = frozenset("""
park heights hills hill ford springs falls beach junction estate estates gardens green grove creek landing
ridge point mills
""".split())
# Institutions named after their town ("Leeds Police", "Kabul University", "Mosul Council"): the town is
# named, but the run names the institution.
INSTITUTION_WORDS = frozenset("""
police university college school academy library hospital clinic council court bank museum club church
mosque cathedral airport-authority municipality chamber assembly committee commission authority agency
board department office bureau service services zoo association society federation union league
team lodge facility fairgrounds galleria turnpike company corporation institute foundation
""".split())
# Function words that are capitalised only in Title Case ("Iraq Says It Will Retake Mosul"): a run holding
# one is a headline, where capitals say nothing about where a name ends.
TITLE_CASE_WORDS = frozenset("""
it will to in for and with from by at as is are was were be been has have had after over into amid
against says say said could would should can may might not no than this that these those their his her
""".split())
