"""Small helpers every layer may use (files, time limits, country names, number words); they import
nothing else of the package."""
