"""`make bench`: the benchmark figures of the clinic stack, each a ratio or a count taken within one run.

    python -m bench [--only hop,windows,availability,ops,pace,memory] [--seconds S]

The datastore here is an emulator (mongoeco): absolute speeds mean little, so every figure
is a ratio of two measurements taken minutes apart on the same machine, a count of datastore
commands, or a size in MB.
"""
