"""Editing the corpus and the events: uploads, background jobs and corrections. One job per module:

uploads:  limits (sizes, counts, messages) -> zips, metadata -> uploads (checking, saving) -> rebuild -> jobs
corrections:  correction_log (the log, checked records) -> apply (the build's hook) -> corrections (making one),
              review (states after the last build), place_candidates (gazetteer choices)
service:  what the app's panels call; it reads one store snapshot per request and passes it down.
"""
