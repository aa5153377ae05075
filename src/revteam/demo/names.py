"""Pools the demo company is drawn from: names, industries, countries, titles and channels.

Hand-made rather than Faker so that a seed gives the same company on every machine and version.
"""

FIRST_NAMES = (
    "Alice", "Bob", "Carol", "Dana", "Erik", "Fatima", "Gabriel", "Hana", "Ivan", "Julia", "Kenji",
    "Laura", "Mateo", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Samuel", "Tara", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego", "Elena", "Felix", "Grace",
    "Hugo", "Ingrid", "Jonas", "Kira", "Liam", "Maya", "Noah", "Olivia", "Pablo", "Rania", "Sofia",
    "Theo", "Valentina", "William", "Yara", "Aiko", "Ben", "Clara", "David", "Emma", "Farid", "Greta",
    "Henrik", "Isla", "James", "Kofi", "Lena", "Marco", "Nina", "Omar", "Paula", "Raj", "Sara",
    "Tomas", "Ursula", "Vera", "Wei", "Adam", "Beatriz", "Chen", "Dmitri", "Eva", "Fiona", "Georg",
)

LAST_NAMES = (
    "Smith", "Johnson", "Garcia", "Müller", "Nguyen", "Kim", "Patel", "Rossi", "Dubois", "Silva",
    "Tanaka", "Kowalski", "Andersen", "O'Brien", "Hernandez", "Schmidt", "Khan", "Lee", "Martin",
    "Wilson", "Novak", "Jensen", "Costa", "Fischer", "Ivanova", "Brown", "Lopez", "Chen", "Singh",
    "Meyer", "Moreau", "Nakamura", "Olsen", "Popescu", "Quinn", "Reyes", "Sato", "Taylor", "Weber",
    "Yilmaz", "Zhang", "Ahmed", "Bianchi", "Clarke", "Davies", "Evans", "Ferreira", "Gomez", "Hansen",
    "Ito", "Jovanovic", "Larsen", "Mendes", "Nielsen", "Okafor", "Park", "Ramos", "Santos", "Walsh",
)

COMPANY_WORDS = (
    "Acme", "Apex", "Atlas", "Aurora", "Beacon", "Blue", "Bright", "Cedar", "Cobalt", "Crest",
    "Delta", "Echo", "Ember", "Falcon", "Fjord", "Granite", "Harbor", "Helix", "Horizon", "Iris",
    "Juniper", "Keystone", "Lumen", "Maple", "Meridian", "Nimbus", "North", "Nova", "Oak", "Orbit",
    "Pine", "Pioneer", "Prism", "Quartz", "Radiant", "Ridge", "River", "Sage", "Sierra", "Silver",
    "Summit", "Terra", "Tidal", "Vertex", "Vista", "Willow", "Zenith", "Coral", "Pulse", "Vector",
)

COMPANY_SUFFIXES = (
    "Labs", "Systems", "Health", "Capital", "Logistics", "Foods", "Works", "Group", "Analytics",
    "Media", "Learning", "Robotics", "Retail", "Networks", "Energy", "Bio", "Software", "Partners",
)

LEGAL_FORMS = ("Inc.", "Ltd", "GmbH", "LLC", "", "", "", "")

# (industry, weight): software-heavy, as a B2B SaaS vendor's market is.
INDUSTRIES = (
    ("software", 24), ("fintech", 10), ("healthcare", 10), ("manufacturing", 11), ("retail", 9),
    ("e-commerce", 7), ("education", 7), ("media", 6), ("logistics", 6), ("financial services", 5),
    ("government", 2), ("non-profit", 3),
)

# (country, weight, region): US-heavy, then EMEA, then APAC.
COUNTRIES = (
    ("US", 42, "na"), ("CA", 5, "na"), ("MX", 1, "na"), ("GB", 10, "emea"), ("DE", 8, "emea"),
    ("FR", 5, "emea"), ("NL", 3, "emea"), ("SE", 2, "emea"), ("IE", 1, "emea"), ("ES", 2, "emea"),
    ("IT", 2, "emea"), ("PL", 1, "emea"), ("ZA", 1, "emea"), ("AU", 5, "apac"), ("SG", 2, "apac"),
    ("JP", 2, "apac"), ("IN", 3, "apac"), ("NZ", 1, "apac"),
)


# (lower bound, upper bound, weight): roughly log-normal company sizes.
EMPLOYEE_BANDS = (
    (2, 9, 12), (10, 49, 24), (50, 199, 26), (200, 999, 20), (1_000, 4_999, 12), (5_000, 50_000, 6),
)

# (title, committee role, weight)
TITLES = (
    ("CEO", "decision_maker", 3), ("Founder", "decision_maker", 2), ("CFO", "blocker", 2),
    ("CTO", "decision_maker", 2), ("VP Sales", "decision_maker", 5), ("VP Marketing", "decision_maker", 4),
    ("Chief Revenue Officer", "decision_maker", 2), ("Head of IT", "blocker", 3),
    ("Head of Revenue Operations", "champion", 4), ("Director of Marketing", "influencer", 6),
    ("Director of Sales", "influencer", 5), ("Sales Operations Manager", "champion", 6),
    ("Marketing Operations Manager", "champion", 5), ("Procurement Manager", "blocker", 2),
    ("Account Executive", "user", 8), ("Sales Development Rep", "user", 8),
    ("Marketing Specialist", "user", 7), ("Customer Success Manager", "user", 5),
    ("Engineer", "user", 5), ("Analyst", "influencer", 5), ("Consultant", "influencer", 3),
    ("Student", "user", 2), ("Marketing Intern", "user", 1),
)

FREE_MAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me")

# (channel, lead weight, typical monthly cost in minor units, the touch that captures the lead)
CHANNELS = (
    ("webinar", 14, 300_000, "webinar_attended"),
    ("paid_search", 18, 1_200_000, "form_submit"),
    ("paid_social", 12, 800_000, "form_submit"),
    ("content", 14, 250_000, "content_download"),
    ("events", 7, 1_500_000, "form_submit"),
    ("referral", 5, 100_000, "demo_request"),
    ("outbound", 10, 600_000, "email_click"),
    ("partner", 6, 200_000, "demo_request"),
    ("organic", 14, 0, "sign_up"),  # a free-trial sign-up on the website
)

CAMPAIGN_THEMES = (
    "Pipeline Playbook", "RevOps Summit", "Lead Routing 101", "Churn Clinic", "Forecast Day",
    "SaaS Metrics Guide", "Aligned Teams", "Speed to Lead", "Buyer Committee", "Renewal Season",
)

# Touches that follow the capture while a lead is nurtured, with relative frequencies.
NURTURE_TOUCHES = (
    ("email_open", 30), ("page_visit", 28), ("email_click", 18), ("content_download", 12),
    ("webinar_attended", 7), ("form_submit", 4), ("demo_request", 1),
)

PLANS = (("starter", 4_900, 3, 15), ("team", 9_900, 5, 60), ("business", 19_900, 20, 120))
