"""The demo practice, modelled on the clinics this product was made for. Names are fictional;
phone numbers are 555 numbers. Loaded on first start of an empty database and by `make seed`.

Visit types and locations carry their Spanish texts (README: Translations of the catalog): a
clinic's name is translated around its town's name, which stays as it is; people's names never are.
"""

WEEKDAYS_8_TO_5 = {d: [{"open": "08:00", "close": "17:00"}] for d in ("mon", "tue", "wed", "thu", "fri")}
ALL_DAY = [{"open": "08:00", "close": "17:00"}]
EVENING = [{"open": "17:00", "close": "20:00"}]


def _clinic(slug, city, line1, postal_code, phone):
    return {"id": slug, "name": f"{city} Clinic", "translations": {"es": {"name": f"Clínica de {city}"}},
            "timezone": "America/Chicago", "phone": phone,
            "address": {"line1": line1, "city": city, "state": "AR", "postal_code": postal_code},
            "modalities": ["in_person"], "hours": WEEKDAYS_8_TO_5, "active": True}


LOCATIONS = [
    _clinic("jonesboro", "Jonesboro", "2400 Caraway Rd", "72401", "+18705550100"),
    _clinic("paragould", "Paragould", "301 W Court St", "72450", "+18705550120"),
    _clinic("ash-flat", "Ash Flat", "155 Main St", "72513", "+18705550140"),
    {"id": "telehealth", "name": "Telehealth", "timezone": "America/Chicago", "phone": "+18705550160",
     "description": "Video visits from wherever you are, in a state where your clinician is licensed.",
     "translations": {"es": {"name": "Telesalud", "description": "Visitas por video desde donde usted esté, en un "
                                                                 "estado donde su profesional tenga licencia."}},
     "address": None, "modalities": ["telehealth"], "active": True,
     "hours": {**{d: [{"open": "08:00", "close": "20:00"}] for d in ("mon", "tue", "wed", "thu", "fri")},
               "sat": [{"open": "09:00", "close": "17:00"}], "sun": []}},
]

BOTH = ["in_person", "telehealth"]
THERAPY = {"duration_minutes": 50, "buffer_minutes": 10, "modalities": BOTH, "provider_role": "therapist",
           "requires_confirmation": False, "active": True}
def _texts(description, es_name, es_description):
    """A visit type's English description and its Spanish name and description."""
    return {"description": description, "translations": {"es": {"name": es_name, "description": es_description}}}


SERVICES = [
    {"id": "intake", "name": "New-patient intake", "duration_minutes": 60, "buffer_minutes": 0, "modalities": BOTH,
     "provider_role": "therapist", "requires_confirmation": True, "active": True,
     **_texts("A first visit to talk about what brings you in and plan your care; the clinic confirms it.",
              "Primera consulta para pacientes nuevos",
              "Una primera visita para hablar de lo que le trae y planear su atención; la clínica la confirma.")},
    {"id": "therapy-cbt", "name": "Individual therapy: CBT", **THERAPY,
     **_texts("Cognitive behavioral therapy: practical skills to change unhelpful thoughts and habits.",
              "Terapia individual: cognitivo-conductual (TCC)",
              "Terapia cognitivo-conductual: habilidades prácticas para cambiar pensamientos y hábitos que no "
              "le ayudan.")},
    {"id": "therapy-dbt", "name": "Individual therapy: DBT", **THERAPY,
     **_texts("Dialectical behavior therapy: skills for intense emotions, distress and relationships.",
              "Terapia individual: dialéctico-conductual (TDC)",
              "Terapia dialéctico-conductual: habilidades para manejar emociones intensas, el malestar y las "
              "relaciones.")},
    {"id": "therapy-psychodynamic", "name": "Individual therapy: psychodynamic", **THERAPY,
     **_texts("Talk therapy that explores how past experiences shape feelings and relationships today.",
              "Terapia individual: psicodinámica",
              "Psicoterapia que explora cómo las experiencias del pasado influyen en los sentimientos y las "
              "relaciones de hoy.")},
    {"id": "med-evaluation", "name": "Medication management: evaluation", "duration_minutes": 60,
     "buffer_minutes": 0, "modalities": BOTH, "provider_role": "prescriber", "requires_confirmation": False,
     "active": True,
     **_texts("A prescriber reviews your symptoms and history and decides with you whether medication may help.",
              "Manejo de medicamentos: evaluación",
              "Un profesional que receta revisa sus síntomas y su historial y decide con usted si un medicamento "
              "puede ayudarle.")},
    {"id": "med-follow-up", "name": "Medication management: follow-up", "duration_minutes": 30,
     "buffer_minutes": 0, "modalities": BOTH, "provider_role": "prescriber", "requires_confirmation": False,
     "active": True,
     **_texts("A check on how your medication is working, and any change it needs.",
              "Manejo de medicamentos: seguimiento",
              "Una revisión de cómo le funciona el medicamento y de los cambios que necesite.")},
]

THERAPIST_SERVICES = ["intake", "therapy-cbt", "therapy-dbt", "therapy-psychodynamic"]
PRESCRIBER_SERVICES = ["med-evaluation", "med-follow-up"]


def _provider(slug, name, credentials, role, services, languages, states, schedules):
    return {"id": slug, "name": name, "credentials": credentials, "role": role, "service_ids": services,
            "languages": languages, "licensed_states": states, "schedules": schedules, "active": True}


PROVIDERS = [
    _provider("hannah-brooks", "Hannah Brooks", "LCSW", "therapist", THERAPIST_SERVICES, ["en"], ["AR"],
              {"jonesboro": {"mon": ALL_DAY, "wed": ALL_DAY, "fri": ALL_DAY}, "telehealth": {"tue": EVENING}}),
    _provider("miguel-santos", "Miguel Santos", "LPC", "therapist", ["intake", "therapy-cbt", "therapy-psychodynamic"],
              ["en", "es"], ["AR"],
              {"jonesboro": {"tue": ALL_DAY, "thu": ALL_DAY}, "paragould": {"mon": ALL_DAY, "wed": ALL_DAY}}),
    _provider("lucia-ramirez", "Lucía Ramírez", "LCSW", "therapist", ["intake", "therapy-cbt", "therapy-dbt"],
              ["en", "es"], ["AR"],
              {"paragould": {"tue": ALL_DAY, "thu": ALL_DAY}, "ash-flat": {"fri": ALL_DAY},
               "telehealth": {"mon": EVENING, "wed": EVENING}}),
    _provider("daniel-whitaker", "Daniel Whitaker", "LPC", "therapist", ["intake", "therapy-cbt", "therapy-psychodynamic"],
              ["en"], ["AR"],
              {"ash-flat": {"mon": ALL_DAY, "wed": ALL_DAY}, "telehealth": {"sat": [{"open": "09:00", "close": "13:00"}]}}),
    _provider("grace-okafor", "Grace Okafor", "MD", "prescriber", PRESCRIBER_SERVICES, ["en"], ["AR"],
              {"jonesboro": {"mon": ALL_DAY, "tue": ALL_DAY}, "paragould": {"wed": ALL_DAY}, "ash-flat": {"thu": ALL_DAY},
               "telehealth": {"fri": ALL_DAY}}),
    # A collaborating psychiatric nurse practitioner licensed only in Delaware and Maryland:
    # she sees, by telehealth, patients who are in those states during the visit.
    _provider("rachel-kim", "Rachel Kim", "PMHNP-BC", "prescriber", PRESCRIBER_SERVICES, ["en"], ["DE", "MD"],
              {"telehealth": {d: ALL_DAY for d in ("mon", "tue", "wed", "thu", "fri")}}),
]
