"""One denoiser call of the PyTorch reference on inputs Likeness wrote, timed: what the equality test and the bench use.

    /usr/bin/python3 run_denoiser.py --manifest models/video.manifest.json --inputs in.safetensors \
        --output out.safetensors [--threads 2] [--repeats 20]

The inputs file holds: noisy [B, F, C, h, w], timesteps [B] (model time), text_ids [B, T] (int64), character_tokens
[characters, tokens, identity_dim], regions [characters, V] and strengths [characters]. With B = 2 the call is a
classifier-free-guidance step as Likeness samples it: row 0 conditional, row 1 without identity (weight 0). Writes the
prediction as "prediction" and prints one JSON line: {"torch": version, "threads": n, "call_ms": [...each repeat...]}; the timed
call is the denoiser's forward alone (prompt and identities are encoded once per job).
"""

import argparse
import json
import time

import torch

import likeness_video


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--per-clip-cast", action="store_true",
                        help="condition through build_batch and [B, C, K, W] tokens, as training batches do (same math)")
    parser.add_argument("--repeats", type=int, default=0, help="timed calls after three warm-up calls (0: one call, untimed)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    model = likeness_video.load(args.manifest)
    inputs = likeness_video.load_safetensors(args.inputs)
    noisy, timesteps = inputs["noisy"], inputs["timesteps"]
    batch = noisy.shape[0]

    with torch.inference_mode():
        # Once per job, as Likeness does: the prompt and the identities. Then the denoiser call each step makes.
        text = model.encode_text(inputs["text_ids"])
        tokens, weight = model.identity_bank.build(list(inputs["character_tokens"]), inputs["regions"], inputs["strengths"])
        if batch == 2:
            weight = torch.cat([weight, torch.zeros_like(weight)], 0)
        if args.per_clip_cast:
            clip_tokens = inputs["character_tokens"].unsqueeze(0).expand(batch, -1, -1, -1)
            tokens, weight = model.identity_bank.build_batch(clip_tokens, weight)
        prediction = model(noisy, timesteps, text, tokens, weight)
        for _ in range(2 if args.repeats else 0):   # with the call above, three warm-up calls before timing
            model(noisy, timesteps, text, tokens, weight)
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            model(noisy, timesteps, text, tokens, weight)
            times.append((time.perf_counter() - started) * 1000)

    likeness_video.save_safetensors({"prediction": prediction}, args.output)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "call_ms": times}))


if __name__ == "__main__":
    main()
