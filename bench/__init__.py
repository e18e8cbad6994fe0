"""`make bench`: the benchmark figures of the clinic stack, each a ratio taken within one run.

    python -m bench [--only hop,memory,windows,availability,booking] [--seconds S]

The datastore here is an emulator (mongoeco): absolute speeds mean little, so every figure
is a ratio of two measurements taken minutes apart on the same machine, or a size in MB.
"""
