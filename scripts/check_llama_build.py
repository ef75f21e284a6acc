"""Exit 1 when the installed llama-cpp-python was built with CPU features that crash here.

ggml's native build enables AVX512/AMX/OpenMP code paths that were seen to SIGSEGV or raise
"Illegal instruction" on these machines; the Makefile then rebuilds it with portable flags.
"""

import sys

BAD_FEATURES = ("AMX_INT8 = 1", "AVX512 = 1", "OPENMP = 1")

try:
    import llama_cpp
except ImportError:
    print("llama-cpp-python is not installed", file=sys.stderr)
    sys.exit(1)

info = llama_cpp.llama_print_system_info().decode()
bad = [feature for feature in BAD_FEATURES if feature in info]
if bad:
    print(f"llama-cpp-python was built with {', '.join(bad)}; rebuilding portable", file=sys.stderr)
    sys.exit(1)
print("llama-cpp-python build is portable:", info.strip())
