"""Tiny randomly initialised vision models built from configs, saved like real checkpoints.

Tests and benchmarks use them to drive the same loading and inference code users run on real weights
(`from_pretrained(dir, local_files_only=True)`), with no download. Their outputs are random: they prove
the path (shapes, batching, coordinates), not detection quality. `size="base"` keeps the real
architectures' widths (random weights) for throughput measurements with realistic compute.
"""
from __future__ import annotations

from pathlib import Path

from codebot.extras import require

# Transformer widths per size: (hidden, intermediate, layers, heads).
_SIZES = {
    "tiny": dict(hidden=32, intermediate=64, layers=2, heads=2),
    "small": dict(hidden=128, intermediate=256, layers=4, heads=4),
}


def _byte_vocab() -> dict[str, int]:
    """Byte-level BPE vocabulary with no merges: every byte and its end-of-word form, specials last
    (OWL's query mask treats token id 0 at position 0 as padding, so no special may be id 0)."""
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    vocab: dict[str, int] = {}
    for ch in bytes_to_unicode().values():
        vocab.setdefault(ch, len(vocab))
        vocab.setdefault(ch + "</w>", len(vocab))
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab


def _tokenizer(max_length: int):
    tf = require("transformers", "vision")
    tf.utils.logging.disable_progress_bar()
    return tf.CLIPTokenizer(vocab=_byte_vocab(), merges=[], model_max_length=max_length)


def _text_config(vocab_size: int, w: dict, max_length: int) -> dict:
    return dict(vocab_size=vocab_size, hidden_size=w["hidden"], intermediate_size=w["intermediate"],
                num_hidden_layers=w["layers"], num_attention_heads=w["heads"], max_position_embeddings=max_length,
                bos_token_id=vocab_size - 2, eos_token_id=vocab_size - 1, pad_token_id=vocab_size - 1)


def _vision_config(w: dict, image_size: int, patch_size: int) -> dict:
    return dict(hidden_size=w["hidden"], intermediate_size=w["intermediate"], num_hidden_layers=w["layers"],
                num_attention_heads=w["heads"], image_size=image_size, patch_size=patch_size)


def build_detector(out_dir: str | Path, kind: str = "owlv2", size: str = "tiny", image_size: int = 64,
                   patch_size: int = 16, seed: int = 0) -> Path:
    """An OWLv2 (or OWL-ViT with kind='owlvit') detector + processor saved to `out_dir`."""
    tf = require("transformers", "vision")
    torch = require("torch", "vision")
    torch.manual_seed(seed)
    out = Path(out_dir)
    if size == "base":  # the published architecture's dims, random weights
        config_cls = tf.Owlv2Config if kind == "owlv2" else tf.OwlViTConfig
        tok = _tokenizer(16)
        config = config_cls(text_config=dict(vocab_size=len(tok), bos_token_id=len(tok) - 2,
                                              eos_token_id=len(tok) - 1, pad_token_id=len(tok) - 1),
                            vision_config=dict(image_size=image_size, patch_size=patch_size))
    else:
        w = _SIZES[size]
        tok = _tokenizer(16)
        config_cls = tf.Owlv2Config if kind == "owlv2" else tf.OwlViTConfig
        config = config_cls(text_config=_text_config(len(tok), w, 16),
                            vision_config=_vision_config(w, image_size, patch_size), projection_dim=w["hidden"])
    if kind == "owlv2":
        from transformers.models.owlv2.image_processing_pil_owlv2 import Owlv2ImageProcessorPil as ImageProc
        model = tf.Owlv2ForObjectDetection(config)
        processor = tf.Owlv2Processor(image_processor=ImageProc(size={"height": image_size, "width": image_size}),
                                      tokenizer=tok)
    elif kind == "owlvit":
        from transformers.models.owlvit.image_processing_pil_owlvit import OwlViTImageProcessorPil as ImageProc
        model = tf.OwlViTForObjectDetection(config)
        processor = tf.OwlViTProcessor(
            image_processor=ImageProc(size={"height": image_size, "width": image_size},
                                      crop_size={"height": image_size, "width": image_size}),
            tokenizer=tok)
    else:
        raise ValueError(f"unknown detector kind {kind!r}; 'owlv2' or 'owlvit'")
    # A small init of the box head's last layer keeps random boxes near OWL's patch-grid prior instead
    # of saturating the sigmoid into zero-width boxes; the weights stay random.
    with torch.no_grad():
        model.box_head.dense2.weight.mul_(0.01)
        model.box_head.dense2.bias.zero_()
        model.class_head.logit_scale.weight.mul_(0.01)
    model.eval().save_pretrained(out)
    processor.save_pretrained(out)
    return out


def build_matcher(out_dir: str | Path, size: str = "tiny", image_size: int = 32, patch_size: int = 8,
                  seed: int = 0) -> Path:
    """A CLIP image-text matcher + processor saved to `out_dir`."""
    tf = require("transformers", "vision")
    torch = require("torch", "vision")
    from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

    torch.manual_seed(seed)
    w = _SIZES[size]
    tok = _tokenizer(32)
    config = tf.CLIPConfig(text_config=_text_config(len(tok), w, 32),
                           vision_config=_vision_config(w, image_size, patch_size), projection_dim=w["hidden"])
    tf.CLIPModel(config).eval().save_pretrained(out_dir)
    image_proc = CLIPImageProcessorPil(size={"shortest_edge": image_size},
                                       crop_size={"height": image_size, "width": image_size})
    tf.CLIPProcessor(image_processor=image_proc, tokenizer=tok).save_pretrained(out_dir)
    return Path(out_dir)


def build_segmenter(out_dir: str | Path, image_size: int = 64, patch_size: int = 16, seed: int = 0) -> Path:
    """A SAM box-prompted segmenter + processor saved to `out_dir`."""
    tf = require("transformers", "vision")
    torch = require("torch", "vision")
    from transformers.models.sam.image_processing_pil_sam import SamImageProcessorPil

    torch.manual_seed(seed)
    embed = image_size // patch_size
    config = tf.SamConfig(
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
                           image_size=image_size, patch_size=patch_size, output_channels=16, window_size=2,
                           global_attn_indexes=[1], mlp_dim=64, num_pos_feats=8),
        prompt_encoder_config=dict(hidden_size=16, image_size=image_size, patch_size=patch_size,
                                   mask_input_channels=4),
        mask_decoder_config=dict(hidden_size=16, num_hidden_layers=2, num_attention_heads=2, mlp_dim=32,
                                 iou_head_hidden_dim=16))
    tf.SamModel(config).eval().save_pretrained(out_dir)
    mask_side = embed * 4  # SAM's low-res masks are 4x the embedding grid
    image_proc = SamImageProcessorPil(size={"longest_edge": image_size},
                                      pad_size={"height": image_size, "width": image_size},
                                      mask_size={"longest_edge": mask_side},
                                      mask_pad_size={"height": mask_side, "width": mask_side})
    tf.SamProcessor(image_processor=image_proc).save_pretrained(out_dir)
    return Path(out_dir)


def build_all(root: str | Path, detector_kind: str = "owlv2") -> dict[str, str]:
    """All three roles under `root`; returns the `models` config mapping role -> directory."""
    root = Path(root)
    return {"detector": str(build_detector(root / f"detector-{detector_kind}", kind=detector_kind)),
            "matcher": str(build_matcher(root / "matcher-clip")),
            "segmenter": str(build_segmenter(root / "segmenter-sam"))}
