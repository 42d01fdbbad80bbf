import gc

# Importing the package makes some 44,000 objects that live as long as the process; the collector
# would visit them in some 60 young collections and find nothing (a tenth of the start-up time).
gc.disable()
from generator.cli import run  # noqa: E402

gc.freeze()
gc.enable()
run()
