"""`codebot vision ...`: detection on an image without an LLM, perception-source comparison on sim
renders, and tiny random models for trying the pipeline offline. Heavy imports happen inside commands."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)


def _models(detector: Optional[str], matcher: Optional[str], segmenter: Optional[str]) -> dict | None:
    if not (detector or matcher or segmenter):
        return None  # env vars / defaults
    return {"detector": detector, "matcher": matcher, "segmenter": segmenter}


@app.command()
def detect(
    image: Path = typer.Argument(..., help="Image file or directory."),
    query: str = typer.Argument(..., help="What to find, e.g. 'red cup, blue bowl'."),
    vision_model: Optional[str] = typer.Option(None, "--vision-model", help="Detector weights: directory or hub id."),
    threshold: float = typer.Option(0.1, help="Score threshold."),
    output_dir: Path = typer.Option(Path("codebot_vision"), help="Where annotated images go."),
    device: str = typer.Option("auto", help="auto | cpu | cuda[:N]"),
    allow_download: bool = typer.Option(False, help="Let transformers download missing weights."),
) -> None:
    """Detect QUERY in IMAGE (each image of a directory): JSON lines on stdout, annotated images on disk."""
    from codebot.vision.target import VisionTarget
    from codebot.primitives import context

    config = {"image": str(image), "models": {"detector": vision_model} if vision_model else None,
              "threshold": threshold, "output_dir": str(output_dir), "device": device,
              "allow_download": allow_download}
    try:
        target = VisionTarget(config)
    except Exception as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    try:
        for i in range(target.image_count()):
            target.reset({"index": i})
            context.bind(target.backend())
            found = target.service.detect(query)
            typer.echo(json.dumps({"image": target.artifacts().get("image"), "count": len(found),
                                   "detections": [d._asdict() for d in found],
                                   "annotated_image": target.artifacts()["annotated_image"]}))
    finally:
        context.bind(None)
        target.close()


@app.command()
def compare(
    seeds: int = typer.Option(5, help="Scenes (seeds 0..N-1) to render."),
    vision_model: Optional[str] = typer.Option(None, "--vision-model", help="Detector weights for the 'model' row."),
    threshold: float = typer.Option(0.1, help="Detector score threshold."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Ground truth vs segmentation masks vs HSV vs the model detector on sim renders of the top camera."""
    from codebot.vision.compare import compare_on_sim, model_source, render_table, standard_sources
    from codebot.vision.perception import ModelDetector, ModelPerception

    model = None
    if vision_model:
        model = model_source(ModelPerception(lambda: None, ModelDetector(vision_model, threshold=threshold),
                                             threshold=threshold))
    scores = compare_on_sim(list(range(seeds)), standard_sources(model))
    if as_json:
        typer.echo(json.dumps([s.summary() for s in scores], indent=1))
    else:
        typer.echo(render_table(scores))


@app.command()
def tiny(out_dir: Path = typer.Argument(..., help="Where to write the models.")) -> None:
    """Write tiny randomly initialised detector/matcher/segmenter checkpoints (pipeline checks, no quality)."""
    from codebot.vision.tiny import build_all

    typer.echo(json.dumps(build_all(out_dir), indent=1))
