"""Vision throughput: images/s of HSV, segmentation-mask and model perception on sim renders, on the
CPU and on a GPU when one is visible, with batch sizes 1/8/32; and the model wrapper's overhead
against the bare Hugging Face sequence measured in the same run.

    .venv/bin/python benchmarks/vision_throughput.py [--frames 32] [--size small] [--image-size 384]

Model perception uses randomly initialised OWLv2 weights (no detector weights ship offline): the
architecture and input size set the compute, random weights do not change it. `--size base` keeps the
published widths (12 layers, 768 wide); `small` and `tiny` are narrower.

Figures (per device and batch size):
  perception img/s      ModelPerception.objects_batch: detect + lift boxes to world objects
  detect img/s          OpenVocabDetector.detect: processor -> model -> post-processing + NMS
  bare img/s            the same by hand: processor(...), model(**inputs), post_process (baseline)
  forward img/s         model(**inputs) alone on prepared inputs
  overhead ratio        bare time / detect time  (target >= 0.9: the wrapper costs <= 10 %)
  forward/detect        forward time / detect time: detect() against model(**inputs) alone
  forward share         forward time / perception time (how much of a call the network is)
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def render_frames(n: int, unique: int = 8):
    """`n` top-camera frames of seeded tabletop scenes (`unique` distinct scenes, repeated)."""
    from codebot import sim

    env = sim.make("tabletop", seed=0)
    frames = []
    try:
        for seed in range(min(n, unique)):
            env.reset(seed=seed)
            frames.append(env.cameras["top"].capture())
    finally:
        env.close()
    return [frames[i % len(frames)] for i in range(n)]


def timed(fn, repeats: int = 1) -> float:
    """Best wall time of `repeats` calls (after the caller's warm-up)."""
    best = float("inf")
    for _ in range(repeats):
        _sync()
        t0 = time.perf_counter()
        fn()
        _sync()
        best = min(best, time.perf_counter() - t0)
    return best


def _sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def bench_classic(frames) -> dict[str, float]:
    from codebot.primitives.perception import hsv, rgbd_seg

    out = {}
    for name, fn in (("hsv", hsv.objects_from_frame), ("seg_masks", rgbd_seg.objects_from_frame)):
        fn(frames[0])
        t = timed(lambda: [fn(f) for f in frames])
        out[name] = len(frames) / t
    return out


def bench_model(frames, model_dir: str, device: str, batch_sizes, repeats: int) -> list[dict]:
    import torch

    from codebot.vision.detector import OpenVocabDetector
    from codebot.vision.models import load_model, to_device
    from codebot.vision.perception import ModelDetector, ModelPerception, default_vocabulary

    loaded = load_model("detector", model_dir, device=device)
    queries = default_vocabulary()
    images = [f.rgb for f in frames]
    rows = []
    for bs in batch_sizes:
        detector = OpenVocabDetector(loaded, batch_size=bs)
        perception = ModelPerception(lambda: None, ModelDetector(detector, threshold=0.1), threshold=0.1)
        chunks = [images[i:i + bs] for i in range(0, len(images), bs)]
        frame_chunks = [frames[i:i + bs] for i in range(0, len(frames), bs)]
        proc, model = loaded.processor, loaded.model

        def bare():  # what a user writes with transformers directly
            for chunk in chunks:
                inputs = proc(text=[queries] * len(chunk), images=chunk, return_tensors="pt")
                inputs = {k: v.to(device) for k, v in inputs.items()}
                inputs["pixel_values"] = inputs["pixel_values"].to(loaded.dtype)
                with torch.inference_mode():
                    outputs = model(**inputs)
                proc.post_process_grounded_object_detection(outputs, threshold=0.1,
                                                            target_sizes=[im.shape[:2] for im in chunk])

        prepared = [to_device(proc(text=[queries] * len(c), images=c, return_tensors="pt"), loaded) for c in chunks]

        def forward():
            with torch.inference_mode():
                for inputs in prepared:
                    model(**inputs)

        def detect():
            detector.detect(images, queries, threshold=0.1)

        def perceive():
            for fc in frame_chunks:
                perception.objects_batch(fc)

        warm = OpenVocabDetector(loaded, batch_size=bs)  # warm-up on one batch: kernels, allocator
        warm.detect(chunks[0], queries, threshold=0.1)
        with torch.inference_mode():
            model(**prepared[0])
        # Interleave the measured calls so load from other processes hits each about equally.
        times = {"bare": [], "forward": [], "detect": [], "perceive": []}
        for _ in range(repeats):
            for name, fn in (("bare", bare), ("detect", detect), ("forward", forward), ("perceive", perceive)):
                times[name].append(timed(fn))
        t = {k: min(v) for k, v in times.items()}
        n = len(images)
        rows.append({"device": device, "batch": bs, "perception_img_s": n / t["perceive"],
                     "detect_img_s": n / t["detect"], "bare_img_s": n / t["bare"], "forward_img_s": n / t["forward"],
                     "overhead_ratio": t["bare"] / t["detect"], "forward_vs_detect": t["forward"] / t["detect"],
                     "forward_share": t["forward"] / t["perceive"]})
        print_row(rows[-1])
    return rows


HEAD = (f"  {'device':<6}{'batch':>6}{'perception':>12}{'detect':>9}{'bare':>9}{'forward':>9}"
        f"{'overhead ratio':>16}{'forward/detect':>16}{'forward share':>15}")


def print_row(r: dict) -> None:
    print(f"  {r['device']:<6}{r['batch']:>6}{r['perception_img_s']:>12.2f}{r['detect_img_s']:>9.2f}"
          f"{r['bare_img_s']:>9.2f}{r['forward_img_s']:>9.2f}{r['overhead_ratio']:>16.3f}"
          f"{r['forward_vs_detect']:>16.3f}{r['forward_share']:>15.3f}",
          flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frames", type=int, default=32)
    ap.add_argument("--batch-sizes", default="1,8,32")
    ap.add_argument("--size", default="small", choices=["tiny", "small", "base"])
    ap.add_argument("--image-size", type=int, default=384, help="model input side (OWLv2 base uses 960)")
    ap.add_argument("--patch-size", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=1, help="timed passes per figure (the best counts)")
    ap.add_argument("--devices", default="auto", help="'auto' = cpu, plus cuda when available; or a list")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--threads", type=int, default=0,
                    help="torch CPU threads (0: torch's default). On a machine shared with other busy processes, "
                         "1 avoids OpenMP spin-waiting, which otherwise dominates small ops")
    args = ap.parse_args(argv)

    import torch

    if args.threads > 0:
        torch.set_num_threads(args.threads)

    from codebot.vision.tiny import build_detector

    devices = (["cpu"] + (["cuda"] if torch.cuda.is_available() else [])) if args.devices == "auto" \
        else args.devices.split(",")
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    from codebot.vision.perception import default_vocabulary

    frames = render_frames(args.frames)
    h, w = frames[0].rgb.shape[:2]
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    print(f"vision throughput: {len(frames)} sim frames {w}x{h}, OWLv2 '{args.size}' random weights, "
          f"input {args.image_size}px / patch {args.patch_size}, {len(default_vocabulary())} queries; "
          f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, GPU: {gpu}", flush=True)
    classic = bench_classic(frames)
    print(f"  hsv        {classic['hsv']:8.1f} img/s (cpu, per frame)")
    print(f"  seg_masks  {classic['seg_masks']:8.1f} img/s (cpu, per frame)")
    print(HEAD, flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = str(build_detector(Path(tmp) / "owlv2", size=args.size, image_size=args.image_size,
                                       patch_size=args.patch_size))
        for device in devices:
            rows.extend(bench_model(frames, model_dir, device, batch_sizes, args.repeats))
    worst = min(r["overhead_ratio"] for r in rows)
    print(f"  overhead ratio (bare transformers time / codebot detect time), worst case: {worst:.3f} "
          f"(target >= 0.9: {'met' if worst >= 0.9 else 'NOT met'})")
    if args.json:
        args.json.write_text(json.dumps({"classic_img_s": classic, "model": rows, "size": args.size,
                                         "image_size": args.image_size, "frames": len(frames), "gpu": gpu},
                                        indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
