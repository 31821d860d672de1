"""The movierec web site: a Django project that serves `movierec.engine` to people and programs.

Layers run one way: the engine knows nothing of Django, and nothing here imports torch.
"""

import os

# One BLAS thread per process. A request multiplies one vector by the movie matrix; splitting
# that over cores costs more in thread hand-offs than it saves, and with several gunicorn workers
# the BLAS threads of all of them fight over the same cores (measured: 235 instead of 1,770
# requests/s on two cores). Set before numpy loads, which is why it is here, where every entry
# point (wsgi, asgi, manage.py) passes first; an explicit setting in the environment wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
