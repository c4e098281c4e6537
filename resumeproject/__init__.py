"""The project: settings, URLs and the WSGI/ASGI entry points.

Every entry point (manage.py and so the django-q2 cluster, wsgi.py, asgi.py) imports this
package before anything loads numpy, so process-wide settings of native libraries that
are read once, when the library loads, belong here.
"""

import os
import sys

# OpenBLAS, numpy's BLAS, keeps its threads spinning for 2^28 cycles (~0.1 s) after each
# product by default. A scoring pass runs ONNX Runtime's graphs (the memory kernel of a
# trained head) right after numpy's products, and the spinning threads took a core from
# them: the kernel of 100,000 resumes took 32-45 ms instead of 18 on a 2-core Xeon
# (docs/benchmarks.md). 2^20 cycles (under a millisecond) keeps the threads warm between
# back-to-back products. A value set by whoever runs the process wins.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "20")

# Whether numpy was loaded before this package, so the setting above came too late: only
# scripts that import numpy before Django do that (tests/matching/test_native_threads.py).
NUMPY_LOADED_FIRST = "numpy" in sys.modules
