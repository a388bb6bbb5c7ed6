"""Texts and figures of the demo activities (facts from the reference announcement, our wording)."""

from __future__ import annotations

PARTNERSHIPS_BACKGROUND = """\
Poverty that persists makes it hard for cities and districts to keep water running, collect waste, maintain roads and create jobs. National and local governments try to meet their residents' growing demands, sometimes with help from donors, while grassroots organisations of the poor often push local development forward with their own means.

Many initiatives now rest on partnerships between the public sector and private or non-governmental actors. Some are two-party contracts; the more inclusive ones bring together local government, businesses and their associations, communities and civil society. No single model fits every context, but the idea is the same: pool the skills and resources of different actors and share the risks and benefits so that each achieves more than it could alone.

Well designed, such partnerships can reach the poor, and support for pro-poor partnerships is growing. This edition builds on earlier ones, with a focus on urban settings and on how partnerships fit into wider local development. It is organised with the International Labour Office, UNDP's Public-Private Partnership for Service Delivery programme and UN-HABITAT's training and capacity building branch."""

PARTNERSHIPS_OBJECTIVES = """\
- Understand multi-stakeholder and public-private partnerships for infrastructure and services, and the role of non-state actors
- Weigh the benefits and the constraints of working in partnership to reach the poor
- Share what agencies and programmes promoting pro-poor partnerships have learned
- Learn from practices that worked"""

PARTNERSHIPS_OUTCOMES = """\
Participants leave with concepts, guidelines, cases and tools for making partnerships work for the poor, and are better prepared to consult and act jointly for better services, more jobs and less poverty where they work."""

PARTNERSHIPS_METHODOLOGY = """\
Centre staff prepare and facilitate the workshop with specialists from the ILO, UNDP, UN-HABITAT and partner institutions, using tools these organisations have developed.

Plenary sessions alternate with group work. Participants are expected to take an active part throughout and to bring their own experience."""

PARTNERSHIPS_EVALUATION = """\
At the end, participants evaluate the workshop: how relevant the programme was to their needs, and how well the methods and materials served its objectives."""

PARTNERSHIPS_MODULES = [
    (
        "Pro-poor partnerships",
        "What multi-stakeholder and public-private partnerships are, how they have been used for "
        "services and poverty reduction, and when a local partnership can be called pro-poor. "
        "Includes an interactive comparison of approaches and the international commitments that apply.",
    ),
    (
        "Social dialogue and partnership",
        "The interests, roles and responsibilities of administrations, businesses and civil society; "
        "why trust breaks down; how local planning and territorial development can open the way to "
        "negotiation between parties with different goals.",
    ),
    (
        "An enabling environment",
        "Policies, laws and regulations that let private firms, community organisations and small "
        "enterprises take part: registration, procurement, tendering and contracts that give small local "
        "firms a fair chance; gender across partnerships; investment, finance and cost recovery.",
    ),
    (
        "Employment and labour issues in partnership arrangements",
        "How technology choices, local labour and good management in local enterprises raise the "
        "employment impact of infrastructure and services, with country cases on the number and the "
        "quality of jobs created.",
    ),
    (
        "Contracting, performance monitoring and impact assessment",
        "Contracts, monitoring and the effects of partnerships on services; participants and "
        "facilitators define indicators that reflect every stakeholder's interests, economic and social.",
    ),
    (
        "Orientations for future work",
        "Group work to design innovative pro-poor partnerships, draft proposals and consider how to "
        "mainstream them.",
    ),
]

# (day index, start, end, title, module number or None, kind)
PARTNERSHIPS_TIMETABLE = [
    (0, "09:00", "09:45", "Opening, introductions and expectations", None, "plenary"),
    (0, "10:00", "12:30", "Partnerships and the poor: concepts and practice", 1, "plenary"),
    (
        0,
        "14:00",
        "17:00",
        "Comparing approaches: what makes a partnership pro-poor",
        1,
        "group_work",
    ),
    (1, "09:00", "12:30", "Stakeholders, interests and roles", 2, "plenary"),
    (1, "14:00", "17:00", "Negotiating a local partnership: a simulation", 2, "group_work"),
    (2, "09:00", "12:30", "Policies, procurement and contracting for inclusion", 3, "plenary"),
    (2, "14:00", "17:00", "Financing and cost recovery", 3, "group_work"),
    (
        3,
        "09:00",
        "12:30",
        "Jobs in infrastructure and service delivery: country cases",
        4,
        "plenary",
    ),
    (3, "14:00", "17:00", "Contracts, monitoring and indicators", 5, "group_work"),
    (4, "09:00", "12:30", "Designing the next partnership", 6, "group_work"),
    (4, "14:00", "16:00", "Presentations, evaluation and closing", 6, "plenary"),
]

PARTNERSHIPS_AUDIENCE_PRIMARY = [
    "Local politicians and senior government staff",
    "Private companies in infrastructure and service delivery",
    "NGOs, faith-based and community-based organisations",
    "Workers' and employers' organisations",
    "Chambers of commerce and business groups",
    "Managers and senior staff of development programmes",
    "Local development agencies",
]

PARTNERSHIPS_AUDIENCE_ALSO = [
    "Higher levels of government (finance, labour, housing)",
    "National and regional development banks",
    "International financing institutions",
    "Multilateral and bilateral development agencies",
    "Research, education and training institutions",
]

TUITION_COVERS = (
    "Programme design and management, facilitation, subject specialists, training assistance, "
    "teaching equipment, classroom supplies, printed course material, communications and "
    "administrative support."
)
SUBSISTENCE_COVERS = (
    "Board and lodging on campus (bed and breakfast and two meals a day), campus services "
    "(laundry, sports, social activities, insurance and minor medical care), water in class, "
    "the course dinner and the group photo."
)
NOT_INCLUDED = "Travel between your home and the venue is not included: the participant or the sponsor pays it."
COSTSHARE_OFFER = (
    "The organisers can cost-share the participation of a limited number of selected candidates. "
    "Say in your application whether you need it, for which part of the fee, and what your sponsor covers."
)
AUDIENCE_NOTE = "Women are strongly encouraged to apply."
LANGUAGE_REQUIREMENT = "The workshop is held in English: a good command of English is essential."

WEBINAR_SUMMARY = (
    "Ninety minutes with practitioners on how unions reach and organise workers who find their "
    "jobs through apps. Held in English, French and Spanish with interpretation; free of charge."
)

# The webinar's texts in its other two languages (models/content.py), written for readers.
WEBINAR_TRANSLATIONS = {
    "fr": {
        "title": "Organiser les travailleurs des plateformes : ce que les syndicats ont appris",
        "summary": "Une heure et demie avec des praticiens pour comprendre comment les syndicats "
        "atteignent et organisent celles et ceux qui trouvent leur travail par une application. "
        "Interprétation en anglais, français et espagnol ; participation gratuite.",
    },
    "es": {
        "title": "Organizar a los trabajadores de plataformas: lo que han aprendido los sindicatos",
        "summary": "Hora y media con personas que lo viven a diario: cómo los sindicatos llegan a "
        "quienes consiguen su trabajo a través de una aplicación y cómo los organizan. Con "
        "interpretación en inglés, francés y español; participación gratuita.",
    },
}
# (title, description, the same in French and Spanish)
WEBINAR_MODULES = [
    (
        "How platform workers organise",
        "Couriers, drivers and online freelancers tell what brought them together, and what "
        "the apps make harder.",
        {
            "fr": {
                "title": "Comment les travailleurs des plateformes s'organisent",
                "description": "Livreurs, chauffeurs et indépendants en ligne racontent ce qui "
                "les a rassemblés, et ce que les applications leur compliquent.",
            },
            "es": {
                "title": "Cómo se organizan los trabajadores de plataformas",
                "description": "Repartidores, conductores y autónomos en línea cuentan qué los "
                "unió y qué les ponen más difícil las aplicaciones.",
            },
        },
    ),
    (
        "What unions have won",
        "Agreements, court cases and campaigns that gave platform workers a pay floor, "
        "insurance and a say.",
        {
            "fr": {
                "title": "Ce que les syndicats ont obtenu",
                "description": "Accords, procès et campagnes qui ont apporté aux travailleurs des "
                "plateformes un revenu plancher, une assurance et voix au chapitre.",
            },
            "es": {
                "title": "Lo que han conseguido los sindicatos",
                "description": "Acuerdos, juicios y campañas que dieron a los trabajadores de "
                "plataformas un ingreso mínimo, un seguro y voz en las decisiones.",
            },
        },
    ),
]
WEBINAR_HOST_ROLE = {
    "fr": {"role": "Animatrice du webinaire"},
    "es": {"role": "Anfitriona del seminario web"},
}

TOT_SUMMARY = (
    "A twenty-day training of trainers on occupational safety and health. Trainees learn to run "
    "their own grassroots workshops and receive a certificate when they attend at least 80% of the sessions."
)
TOT_MODULES = [
    (
        "Hazards at work and how to find them",
        "Risk assessment with workers, checklists, body mapping.",
    ),
    (
        "Law, rights and the role of unions",
        "National law, international standards, safety committees.",
    ),
    ("Adult learning and facilitation", "Participatory methods for grassroots workshops."),
    ("Practice workshops and action plans", "Trainees run sessions and plan their own workshops."),
]

GIVEN_NAMES = [
    "Amina",
    "Binod",
    "Carmen",
    "Dawit",
    "Elena",
    "Farah",
    "Gabriel",
    "Hoa",
    "Ibrahim",
    "Jyoti",
    "Kwame",
    "Lucía",
    "Mihai",
    "Nadia",
    "Oluwaseun",
    "Pooja",
    "Quang",
    "Rania",
    "Sipho",
    "Tatiana",
    "Usha",
    "Víctor",
    "Wanjiru",
    "Xavier",
    "Yasmin",
    "Zeynep",
    "Ana María",
    "Bilal",
    "Chiara",
    "Diego",
    "Esther",
    "Fatou",
    "Grace",
    "Hamid",
    "Inés",
    "José",
    "Kamala",
    "Leila",
    "Mariam",
    "Nguyen",
]
FAMILY_NAMES = [
    "Acharya",
    "Banda",
    "Castillo",
    "Diallo",
    "Eze",
    "Fernández",
    "Gurung",
    "Haddad",
    "Ivanova",
    "Juárez",
    "Kamau",
    "López",
    "Mensah",
    "Nair",
    "Okafor",
    "Pradhan",
    "Quispe",
    "Rahman",
    "Silva",
    "Tran",
    "Uddin",
    "Vargas",
    "Wang",
    "Yilmaz",
    "Zulu",
    "Mamani",
    "Shrestha",
    "Mwangi",
    "Traoré",
    "Popescu",
]
COUNTRIES = [
    "NP",
    "BO",
    "KE",
    "GH",
    "IN",
    "PE",
    "BR",
    "PH",
    "SN",
    "ET",
    "BD",
    "VN",
    "EG",
    "TR",
    "RO",
    "ZA",
    "NG",
    "CO",
    "ID",
    "TZ",
    "MA",
    "UA",
    "IT",
    "FR",
    "ES",
]
ORGANISATIONS = [
    "Municipal Water Board",
    "Federation of Construction Workers",
    "Chamber of Commerce",
    "Community Savings Network",
    "Ministry of Local Government",
    "City Council",
    "Employers' Association",
    "Housing Cooperative",
    "Development Bank",
    "Urban Poor Federation",
    "University Planning Institute",
    "Waste Pickers' Association",
    "Regional Development Agency",
    "Faith-based Relief Service",
]
POSITIONS = [
    "Programme officer",
    "Director",
    "Mayor's adviser",
    "Union organiser",
    "Engineer",
    "Researcher",
    "Project manager",
    "Policy analyst",
    "Coordinator",
    "Head of procurement",
]

CONGRESS_SUMMARY = (
    "A panel session of the international congress on public water services. Water "
    "operators, plant technicians and community water committees tell how utilities change "
    "when the people who run the pipes and serve the users have a say: fewer losses, safer "
    "work, and services that reach the neighbourhoods nobody planned for. The International "
    "Training Centre organises the session with its partners and shares what its training "
    "courses on social dialogue in public services have taught."
)
CONGRESS_OBJECTIVES = """\
Show, with cases from three continents, how worker participation improves the reliability and reach of water and sanitation services.
Compare the forms participation takes (works councils, joint safety committees, collective agreements, community water committees) and what makes each last.
Agree on three proposals that unions, utilities and civil society can take back to their city's water board."""
CONGRESS_OUTCOMES = (
    "The proposals are published in the congress report, and the centre's courses on "
    "public services take them up."
)
CONGRESS_METHODOLOGY = (
    "A moderated panel of workers and civil-society representatives, short case "
    "presentations, then questions from the floor and from participants following online."
)
# (name, organisation, role, bio); every person and organisation here is invented.
CONGRESS_PANEL = [
    (
        "Hélène Marchetti",
        "International Training Centre",
        "moderator",
        "Programme officer for social dialogue in public services; she has run the "
        "centre's courses for water and energy utilities for ten years.",
    ),
    (
        "Joseph Otieno Mwangi",
        "Union of water and sanitation workers, Mombasa (Kenya)",
        "panelist",
        "Treatment plant operator and shop steward. He helped set up the joint safety "
        "committee that halved accidents at the city's pumping stations.",
    ),
    (
        "Ana Lúcia Ferreira",
        "Municipal water company works council, Recife (Brazil)",
        "panelist",
        "Maintenance technician elected to the works council; she leads its work on "
        "reducing leaks in the network together with the engineers.",
    ),
    (
        "Rahul Deshmukh",
        "Network of community water committees, Maharashtra (India)",
        "panelist",
        "Coordinates committees of water users in informal settlements that plan new "
        "standpipes with the utility's field staff.",
    ),
    (
        "Marisol Quispe Mamani",
        "Federation of community water cooperatives, Santa Cruz (Bolivia)",
        "panelist",
        "President of a cooperative that supplies 40,000 people; she speaks for the "
        "members who are both its owners and its workers.",
    ),
]
# (name, part); invented organisations.
CONGRESS_PARTNERS = [
    ("Water Workers' Network", "International federation of water and sanitation unions"),
    ("Citizens for Water Justice", "Civil-society coalition; brings the community cases"),
    ("Association of Public Water Utilities", "Hosts the session at its congress"),
]
# The ToT's facilitators; the first is the demo trainer account, linked to it.
TOT_FACILITATORS = [
    (
        "Tomás Trainer",
        "International Training Centre",
        "facilitator",
        "Occupational safety and health specialist; he trains union trainers to run "
        "risk mapping with workers in their own workplaces.",
    ),
    (
        "Sunita Karki",
        "Trade union training centre, Kathmandu",
        "facilitator",
        "Trainer of trainers in construction and brick kilns; she co-facilitates the "
        "field practice of weeks three and four.",
    ),
]
