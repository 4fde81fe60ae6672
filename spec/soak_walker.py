# One reader of the soak spec: for SECONDS, walks every task directory of
# the mount (files, links, fd/, task/), then writes its own oom_score_adj
# (the value it holds) through the mount; counts what it did and what
# failed in a way the kernel's /proc never fails a live task (EIO, ENOTCONN;
# mem, whose address 0 is EIO on the kernel too, is left out).
import errno, os, sys, time

mnt, seconds = sys.argv[1], float(sys.argv[2])
end = time.monotonic() + seconds
ops = bad = 0
me = os.getpid()
while time.monotonic() < end:
    for pid in os.listdir(mnt):
        if not pid.isdigit():
            continue
        base = os.path.join(mnt, pid)
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            if name == "mem":  # address 0 is never mapped: EIO, as on the kernel
                continue
            path = os.path.join(base, name)
            try:
                if os.path.islink(path):
                    os.readlink(path)
                elif os.path.isdir(path):
                    os.listdir(path)
                else:
                    with open(path, "rb") as f:
                        f.read(65536)
                ops += 1
            except OSError as e:
                if e.errno in (errno.EIO, errno.ENOTCONN, errno.ECONNABORTED):
                    bad += 1
                    print("bad", path, e, file=sys.stderr)
    try:
        own = os.path.join(mnt, str(me), "oom_score_adj")
        with open(own) as f:
            v = f.read().strip()
        with open(own, "w") as f:
            f.write(v)
        ops += 1
    except OSError as e:
        bad += 1
        print("bad write", e, file=sys.stderr)
print(ops, bad)
