#!/usr/bin/env python3
"""Independent PyTorch reference for laif's TransformerLM, run by TorchReferenceTests.swift.

usage: python3 torch_reference.py JOB_DIR [JOB_DIR ...]

Each JOB_DIR holds, written by the Swift test:
  model.safetensors  a laif checkpoint (F32 tensors under laif's names, `arch.*` metadata)
  inputs.json        {"tokens": [[...]] B x T, "targets": [[...]] B x T (-1 = not scored),
                      "prompts": [[...]], "responses": [[...]], "coefficients": [...]}
and receives reference.safetensors (all F64):
  logits [B, T, V]         the model's logits for `tokens`
  loss []                  mean next-token cross-entropy over targets != -1
  grad/<laif name>         d loss / d parameter
  dpo/logps [N]            sum over each response of log p(response token | prompt, earlier tokens)
  dpo/grad/<laif name>     d (sum_i coefficients[i] * logps[i]) / d parameter

The reference is written from laif's documented design, not from its code paths: pre-LN
blocks, fused qkv Linear split as [q | k | v] along the output dimension, heads side by side
within each of q, k, v, softmax(q k^T / sqrt(d_head)) with a causal mask, GELU with the tanh
approximation (GPT-2), LayerNorm eps 1e-5 with biased variance, untied LM head. The float32
weights are loaded and every computation runs in float64, so the reference's own rounding is
negligible next to laif's float32 arithmetic. DPO log-probs are computed one unpadded row at a
time (laif pads rows and shares prompt prefixes; the reference does neither).
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import load_file, save_file

torch.set_num_threads(1)
DTYPE = torch.float64


class Block(nn.Module):
    def __init__(self, d, heads, mlp_ratio, eps):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d, eps=eps)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d, eps=eps)
        self.fc1 = nn.Linear(d, mlp_ratio * d)
        self.fc2 = nn.Linear(mlp_ratio * d, d)

    def forward(self, x):
        B, T, D = x.shape
        dh = D // self.heads
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q, k, v = (z.view(B, T, self.heads, dh).transpose(1, 2) for z in (q, k, v))   # [B, H, T, dh]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(dh)
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)            # key after query
        att = F.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, D)
        x = x + self.proj(y)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))


class ReferenceTransformer(nn.Module):
    def __init__(self, vocab, max_length, d, layers, heads, mlp_ratio, eps=1e-5):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_length, d)
        self.blocks = nn.ModuleList([Block(d, heads, mlp_ratio, eps) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d, eps=eps)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        B, T = idx.shape
        x = self.tok(idx) + self.pos(torch.arange(T))
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))


def laif_to_reference(name):
    """The reference's state_dict key for a laif checkpoint tensor name.

    laif                              reference
    tok_emb.weight                 -> tok.weight
    pos_emb.weight                 -> pos.weight
    blocks.{i}.ln1.{weight,bias}   -> blocks.{i}.ln1.{weight,bias}
    blocks.{i}.attn.qkv.{w,b}      -> blocks.{i}.qkv.{w,b}      ([3D, D]: rows q | k | v)
    blocks.{i}.attn.proj.{w,b}     -> blocks.{i}.proj.{w,b}
    blocks.{i}.ln2.{weight,bias}   -> blocks.{i}.ln2.{weight,bias}
    blocks.{i}.mlp.fc1.{w,b}       -> blocks.{i}.fc1.{w,b}
    blocks.{i}.mlp.fc2.{w,b}       -> blocks.{i}.fc2.{w,b}
    ln_f.{weight,bias}             -> ln_f.{weight,bias}
    head.{weight,bias}             -> head.{weight,bias}
    Linear weights are [out, in] in both, so no tensor is transposed.
    """
    parts = name.split(".")
    if parts[0] == "tok_emb":
        return "tok." + ".".join(parts[1:])
    if parts[0] == "pos_emb":
        return "pos." + ".".join(parts[1:])
    if parts[0] == "blocks" and len(parts) == 5 and parts[2] in ("attn", "mlp"):
        return ".".join(parts[:2] + parts[3:])
    return name


def build(checkpoint):
    with safe_open(checkpoint, framework="pt") as f:
        meta = f.metadata()
    if meta.get("arch.kind") != "transformer":
        raise SystemExit(f"{checkpoint}: not a laif transformer checkpoint: {meta}")
    size = lambda key: int(meta["arch." + key])
    model = ReferenceTransformer(size("vocab_size"), size("max_length"), size("d_model"), size("layers"),
                                 size("heads"), size("mlp_ratio")).to(DTYPE)
    laif = load_file(checkpoint)
    state = {}
    for name, tensor in laif.items():
        key = laif_to_reference(name)
        if key in state:
            raise SystemExit(f"two laif tensors map to {key}")
        state[key] = tensor.to(DTYPE)
    model.load_state_dict(state, strict=True)   # every parameter present, none extra, shapes equal
    params = {name: model.get_parameter(laif_to_reference(name)) for name in laif}
    return model, params


def gradients(params, prefix):
    out = {}
    for name, p in params.items():
        out[prefix + name] = (p.grad if p.grad is not None else torch.zeros_like(p)).detach().clone()
        p.grad = None
    return out


def run(job):
    model, params = build(os.path.join(job, "model.safetensors"))
    with open(os.path.join(job, "inputs.json")) as f:
        inputs = json.load(f)
    out = {}

    tokens = torch.tensor(inputs["tokens"], dtype=torch.long)
    targets = torch.tensor(inputs["targets"], dtype=torch.long)
    logits = model(tokens)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1)
    loss.backward()
    out["logits"] = logits.detach()
    out["loss"] = loss.detach()
    out.update(gradients(params, "grad/"))

    logps = []
    for prompt, response in zip(inputs["prompts"], inputs["responses"]):
        if not response:                                                # laif scores an empty response 0
            logps.append(torch.zeros((), dtype=DTYPE))
            continue
        row = torch.tensor([prompt + response], dtype=torch.long)
        lp = F.log_softmax(model(row[:, :-1]), dim=-1)[0]             # position t predicts token t + 1
        positions = torch.arange(len(prompt) - 1, len(prompt) - 1 + len(response))
        logps.append(lp[positions, torch.tensor(response, dtype=torch.long)].sum())
    logps = torch.stack(logps)
    (logps * torch.tensor(inputs["coefficients"], dtype=DTYPE)).sum().backward()
    out["dpo/logps"] = logps.detach()
    out.update(gradients(params, "dpo/grad/"))

    save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(job, "reference.safetensors"))
    return {"job": job, "loss": loss.item(), "tensors": len(out)}


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print(json.dumps({"torch": torch.__version__, "jobs": [run(job) for job in sys.argv[1:]]}))
