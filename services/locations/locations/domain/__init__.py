"""The practice's rules of time and place, as pure functions (no I/O):

- hours.py      weekly hours: HH:MM intervals per weekday, validation
- closures.py   closures and special hours, and the effective hours of any date
- zones.py      wall-clock times in a location's IANA zone -> UTC instants, DST included
- eligibility.py which providers may see a patient (role, service, language, licensure)
- windows.py    a provider's working windows: schedule ∩ effective hours, as UTC instants
- changes.py    staff changes to locations and providers, and the rules across records they keep
- closure_changes.py adding and deleting closures and special hours, who may staff them
- views.py      stored documents as the API and the events show them
- phones.py     a clinic phone as people read it (national form)
- translations.py catalog texts in Spanish beside the canonical English
- errors.py     the refusals these raise (the API maps them to problems in api/problems.py)
"""
