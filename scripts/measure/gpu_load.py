#!/usr/bin/env python3
"""gpu_load.py - measure the GPU cold-start phases slsim's profiles need.

Measures, on the machine it runs on (needs PyTorch with CUDA and safetensors):
  1. CUDA context creation: a fresh process's first CUDA call (after `import
     torch`), median of several processes;
  2. host-to-device copy bandwidth, pinned and pageable memory, 1 GiB and 8 GiB;
  3. safetensors checkpoints of 4 GiB and 16 GiB loaded onto the GPU with
     safetensors.torch.load_file(device="cuda"): from the page cache (warm) and,
     where the kernel lets the file leave the cache, from disk (cold);
  4. sequential read bandwidth of the same files from disk.

Writes one JSON object to stdout (and to $OUT/gpu_load.json when OUT is set).
Nothing in slsim's build or tests runs this; docs/measurements/ keeps its results
with their date and machine. Usage: python3 scripts/measure/gpu_load.py [DIR]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

GIB = 1 << 30


def context_creation(runs=5):
    code = (
        "import time,torch\n"
        "t=time.perf_counter()\n"
        "torch.zeros(1,device='cuda'); torch.cuda.synchronize()\n"
        "print(time.perf_counter()-t)\n"
    )
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return {"runs_s": times, "median_s": statistics.median(times)}


def h2d(torch, size, pinned, reps=5):
    n = size // 2
    host = torch.empty(n, dtype=torch.bfloat16, pin_memory=pinned)
    host.fill_(1)
    dev = torch.empty(n, dtype=torch.bfloat16, device="cuda")
    dev.copy_(host)
    torch.cuda.synchronize()
    rates = []
    for _ in range(reps):
        t = time.perf_counter()
        dev.copy_(host)
        torch.cuda.synchronize()
        rates.append(size / (time.perf_counter() - t) / 1e9)
    del host, dev
    torch.cuda.empty_cache()
    return {"bytes": size, "pinned": pinned, "GB_per_s": rates,
            "median_GB_per_s": statistics.median(rates)}


def drop_from_cache(path):
    """Ask the kernel to drop the file from the page cache; True if it seems to."""
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        pass
    try:
        fd = os.open(path, os.O_RDONLY)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
        return True
    except (OSError, AttributeError):
        return False


def read_rate(path):
    size = os.path.getsize(path)
    buf = bytearray(64 << 20)
    t = time.perf_counter()
    with open(path, "rb", buffering=0) as f:
        while f.readinto(buf):
            pass
    return size / (time.perf_counter() - t) / 1e9


def checkpoint(torch, st, folder, size):
    path = os.path.join(folder, f"ckpt_{size // GIB}GiB.safetensors")
    tensors, left, i = {}, size, 0
    while left > 0:  # 256 MiB tensors, as a model's layers
        n = min(left, 256 << 20)
        tensors[f"w{i}"] = torch.ones(n // 2, dtype=torch.bfloat16)
        left -= n
        i += 1
    st.save_file(tensors, path)
    del tensors
    os.sync()
    result = {"bytes": os.path.getsize(path), "tensors": i}
    # Warm: the file is in the page cache after a first read.
    read_rate(path)
    t = time.perf_counter()
    loaded = st.load_file(path, device="cuda")
    torch.cuda.synchronize()
    result["warm_load_s"] = time.perf_counter() - t
    del loaded
    torch.cuda.empty_cache()
    result["warm_load_GB_per_s"] = result["bytes"] / result["warm_load_s"] / 1e9
    # Cold: from disk, if the cache can be dropped.
    result["cache_dropped"] = drop_from_cache(path)
    result["disk_read_GB_per_s"] = read_rate(path)
    drop_from_cache(path)
    t = time.perf_counter()
    loaded = st.load_file(path, device="cuda")
    torch.cuda.synchronize()
    result["cold_load_s"] = time.perf_counter() - t
    result["cold_load_GB_per_s"] = result["bytes"] / result["cold_load_s"] / 1e9
    del loaded
    torch.cuda.empty_cache()
    os.remove(path)
    return result


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else tempfile.gettempdir()
    out = {"date": time.strftime("%Y-%m-%d"), "context": context_creation()}
    import torch
    import safetensors.torch as st
    out["device"] = torch.cuda.get_device_name(0)
    out["torch"] = torch.__version__
    out["h2d"] = [h2d(torch, s, p) for s in (GIB, 8 * GIB) for p in (True, False)]
    out["checkpoints"] = [checkpoint(torch, st, folder, s) for s in (4 * GIB, 16 * GIB)]
    try:
        out["nvidia_smi"] = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version,pcie.link.gen.max,"
             "pcie.link.width.max,memory.total", "--format=csv"],
            capture_output=True, text=True).stdout
    except OSError:
        out["nvidia_smi"] = None
    text = json.dumps(out, indent=1)
    print(text)
    if os.environ.get("OUT"):
        with open(os.path.join(os.environ["OUT"], "gpu_load.json"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
