import importlib
import pkgutil
import sys

import bench


def main(names: list[str]) -> int:
    available = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(available)}")
        return 2
    if not available:
        print("No benchmarks yet.")
    for name in names or available:
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
