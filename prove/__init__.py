"""The proving ground: the real stack, started as `make run` starts it, broken on purpose.

`make prove` (or `python -m prove [scenario …]`) prints one line per scenario; `pytest prove` runs one test per
scenario. See runner.py for the scenarios and the pass figures.
"""
