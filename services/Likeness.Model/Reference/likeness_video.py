"""The Likeness video denoiser in PyTorch: the reference definition for people who train elsewhere.

It is the same network as services/Likeness.Model/Generation/VideoDenoiser.cs, module for module and name for name, so a
state dict trained here saves to the safetensors + manifest pair Likeness serves (models/video.*), and Likeness's weights
load here with strict=True. The C# side is what serves; this file is kept equal to it by a test
(tests/Likeness.Model.Tests/Reference/PyTorchReferenceTests.cs: same weights, same inputs, max |difference| <= 1e-4) and
timed against it by `dotnet run -c Release --project tests/Likeness.Benchmarks -- pytorch`.

Runs on PyTorch 1.13 (Debian 12's python3-torch) and later, with numpy (which Debian's package brings) for writing
safetensors; needs nothing else. Shapes: B batch, F frames, C channels of
the denoiser's space, h x w its cells (pixels, or the frame autoencoder's latents), W width, V = F x patches video tokens.
"""

import json
import math
import struct
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

# safetensors (https://github.com/huggingface/safetensors): 8-byte little-endian header length, a JSON header naming
# each tensor's dtype, shape and byte range, then the raw little-endian bytes. Only the dtypes Likeness writes.
_DTYPES = {"F32": torch.float32, "F16": torch.float16, "I64": torch.int64}
_NAMES = {dtype: name for name, dtype in _DTYPES.items()}


def load_safetensors(path):
    """{name: tensor} from a safetensors file."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = memoryview(data)[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=_DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"])
    return tensors


def save_safetensors(tensors, path):
    """Writes {name: tensor} (float32, float16 or int64) as a safetensors file."""
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        raw = tensor.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": _NAMES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


class CrossAttention(nn.Module):
    """Multi-head attention from queries [B, Q, W] to a context [B, K, W]; softmax(q k^T / sqrt(d)) v per head."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(width, width)
        self.to_k = nn.Linear(width, width)
        self.to_v = nn.Linear(width, width)
        self.to_out = nn.Linear(width, width)

    def _split(self, t):
        return t.reshape(t.shape[0], t.shape[1], self.heads, -1).transpose(1, 2)

    def forward(self, x, context):
        q, k, v = self._split(self.to_q(x)), self._split(self.to_k(context)), self._split(self.to_v(context))
        weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
        return self.to_out((weights @ v).transpose(1, 2).flatten(2))


class FeedForward(nn.Module):
    """Linear -> GELU (erf) -> Linear, widening by 4."""

    def __init__(self, width, expansion=4):
        super().__init__()
        self.fc1 = nn.Linear(width, width * expansion)
        self.fc2 = nn.Linear(width * expansion, width)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class TimestepEmbedding(nn.Module):
    """[B] timesteps -> sinusoidal features (10000^(-i/half), sin then cos) -> MLP -> [B, W]."""

    def __init__(self, width):
        super().__init__()
        self.width = width
        self.fc1 = nn.Linear(width, width * 4)
        self.fc2 = nn.Linear(width * 4, width)

    def forward(self, timesteps):
        half = self.width // 2
        frequencies = torch.exp(torch.arange(half, dtype=torch.float32, device=timesteps.device) * (-math.log(10_000) / half))
        angles = timesteps.float().unsqueeze(1) * frequencies.unsqueeze(0)
        return self.fc2(F.silu(self.fc1(torch.cat([torch.sin(angles), torch.cos(angles)], 1))))


class TextEncoder(nn.Module):
    """Hashed word ids [B, T] -> [B, T, W]: embeddings and positions, one self-attention block, a final norm."""

    def __init__(self, config):
        super().__init__()
        width = config["width"]
        self.token_embedding = nn.Embedding(config["text_vocabulary"], width)
        self.position_embedding = nn.Parameter(torch.randn(config["text_tokens"], width) * 0.02)
        self.norm_attention = nn.LayerNorm(width)
        self.attention = CrossAttention(width, config["heads"])
        self.norm_mlp = nn.LayerNorm(width)
        self.mlp = FeedForward(width)
        self.norm_out = nn.LayerNorm(width)

    def forward(self, ids):
        x = self.token_embedding(ids) + self.position_embedding.unsqueeze(0)
        normed = self.norm_attention(x)
        x = x + self.attention(normed, normed)
        x = x + self.mlp(self.norm_mlp(x))
        return self.norm_out(x)


class MultiCharacterIdentityBank(nn.Module):
    """One projection per character slot and a learned separator closing each character's tokens."""

    def __init__(self, config):
        super().__init__()
        self.banks = nn.ModuleList(nn.Linear(config["identity_dim"], config["width"]) for _ in range(config["max_characters"]))
        self.character_separator = nn.Parameter(torch.randn(1, config["width"]) * 0.02)

    def _project(self, tokens, slot):
        """[..., tokens, identity_dim] -> [..., tokens + 1, W]: the slot's bank, then the separator."""
        projected = self.banks[slot](tokens)
        return torch.cat([projected, self.character_separator.expand(*projected.shape[:-2], 1, -1)], -2)

    def build(self, character_tokens, regions, strengths):
        """character_tokens: one [tokens, identity_dim] per character; regions [C, V] in 0..1; strengths [C].

        Returns (tokens [C, tokens + 1, W], weight [1, C, V]) for a batch of one, the cast shared by the batch."""
        projected = [self._project(t, slot) for slot, t in enumerate(character_tokens)]
        return torch.stack(projected, 0), (regions.clamp(0, 1) * strengths.unsqueeze(1)).unsqueeze(0)

    def build_batch(self, character_tokens, weight, first_slot=0):
        """For training batches in which every clip has its own cast: character_tokens [B, C, tokens, identity_dim],
        weight [B, C, V] (strength inside each character's region, 0 outside); characters take the slots from first_slot.

        Returns (tokens [B, C, tokens + 1, W], weight [B, C, V])."""
        characters = character_tokens.shape[1]
        if first_slot < 0 or first_slot + characters > len(self.banks):
            raise ValueError(f"slots {first_slot}..{first_slot + characters - 1} exceed the {len(self.banks)} banks")
        projected = [self._project(character_tokens[:, c], first_slot + c) for c in range(characters)]
        return torch.stack(projected, 1), weight.clamp(0, 1)


class IdentityAwareBlock(nn.Module):
    """Spatial, temporal, identity and text attention and an MLP, each pre-normed and modulated by the timestep."""

    BRANCHES = 5

    def __init__(self, width, heads):
        super().__init__()
        self.norms = nn.ModuleList(nn.LayerNorm(width, elementwise_affine=False) for _ in range(self.BRANCHES))
        self.modulation = nn.Linear(width, 2 * self.BRANCHES * width)
        self.spatial_attn = CrossAttention(width, heads)
        self.temporal_attn = CrossAttention(width, heads)
        self.identity_attn = CrossAttention(width, heads)
        self.text_attn = CrossAttention(width, heads)
        self.mlp = FeedForward(width)

    def forward(self, x, time, text, identity_tokens, identity_weight):
        """x [B, F, P, W]; time [B, F, W] (each frame's timestep embedding); text [B, T, W]; identity_tokens [C, K, W]
        shared by the batch, or [B, C, K, W] when every clip has its own cast; identity_weight [B, C, V]."""
        batch, frames, patches, width = x.shape
        shift_scale = self.modulation(F.silu(time)).view(batch, frames, 1, self.BRANCHES * 2, width)

        def norm(branch, h):
            return self.norms[branch](h) * (1 + shift_scale[:, :, :, 2 * branch + 1]) + shift_scale[:, :, :, 2 * branch]

        h = norm(0, x).reshape(batch * frames, patches, width)
        x = x + self.spatial_attn(h, h).view(batch, frames, patches, width)

        h = norm(1, x).permute(0, 2, 1, 3).reshape(batch * patches, frames, width)
        x = x + self.temporal_attn(h, h).view(batch, patches, frames, width).permute(0, 2, 1, 3)

        # Each character attended on its own, its result kept inside its region and scaled by its strength.
        if identity_tokens.dim() == 3:
            identity_tokens = identity_tokens.unsqueeze(0).expand(batch, -1, -1, -1)
        characters, keys = identity_tokens.shape[1], identity_tokens.shape[2]
        video_tokens = frames * patches
        tokens = identity_tokens.reshape(batch * characters, keys, width)
        h = norm(2, x).reshape(batch, 1, video_tokens, width).expand(-1, characters, -1, -1).reshape(batch * characters, video_tokens, width)
        per_character = self.identity_attn(h, tokens).view(batch, characters, video_tokens, width)
        x = x + (per_character * identity_weight.unsqueeze(-1)).sum(1).view(batch, frames, patches, width)

        h = norm(3, x).reshape(batch, frames * patches, width)
        x = x + self.text_attn(h, text).view(batch, frames, patches, width)
        return x + self.mlp(norm(4, x))


class VideoDenoiser(nn.Module):
    """Patchified frames [B, F, C, h, w] at model time [B] -> the objective's prediction, shaped like the frames.

    `config` is the "config" object of models/video.manifest.json (width, blocks, heads, patch_size, max_side,
    max_frames, text_vocabulary, text_tokens, identity_dim, identity_tokens, max_characters, channels,
    latent_downsample, objective). For rectified flow the prediction is the velocity eps - x0 and model time is t x 1000."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        width, down = config["width"], config.get("latent_downsample", 1)
        self.patch = config["patch_size"] // down
        patch_values = config.get("channels", 3) * self.patch * self.patch
        self.grid = config["max_side"] // config["patch_size"]
        self.patch_embed = nn.Linear(patch_values, width)
        self.spatial_position = nn.Parameter(torch.randn(self.grid * self.grid, width) * 0.02)
        self.temporal_position = nn.Parameter(torch.randn(config["max_frames"], width) * 0.02)
        self.time_embed = TimestepEmbedding(width)
        self.text_encoder = TextEncoder(config)
        self.identity_bank = MultiCharacterIdentityBank(config)
        self.blocks = nn.ModuleList(IdentityAwareBlock(width, config["heads"]) for _ in range(config["blocks"]))
        self.norm_out = nn.LayerNorm(width, elementwise_affine=False)
        self.out_modulation = nn.Linear(width, 2 * width)
        self.unpatch = nn.Linear(width, patch_values)

    def encode_text(self, ids):
        """[B, T] int64 prompt ids -> [B, T, W]."""
        return self.text_encoder(ids)

    def forward(self, noisy, timesteps, text, identity_tokens, identity_weight):
        batch, frames, channels, height, width = noisy.shape
        p = self.patch
        rows, columns = height // p, width // p
        patches = noisy.reshape(batch, frames, channels, rows, p, columns, p).permute(0, 1, 3, 5, 2, 4, 6)
        patches = patches.reshape(batch, frames, rows * columns, channels * p * p)
        spatial = self.spatial_position.view(self.grid, self.grid, -1)[:rows, :columns].reshape(rows * columns, -1)
        x = self.patch_embed(patches) + spatial.unsqueeze(0).unsqueeze(0) + self.temporal_position[:frames].unsqueeze(0).unsqueeze(2)

        # [B] timesteps (one level for every frame) or [B, F] (a level per frame, diffusion forcing) -> [B, F, W].
        per_frame = timesteps if timesteps.dim() == 2 else timesteps.unsqueeze(1).expand(batch, frames)
        time = self.time_embed(per_frame.reshape(batch * frames)).view(batch, frames, -1)
        weight = identity_weight if identity_weight.shape[0] == batch else identity_weight.expand(batch, -1, -1)
        for block in self.blocks:
            x = block(x, time, text, identity_tokens, weight)

        shift_scale = self.out_modulation(F.silu(time)).view(batch, frames, 1, 2, -1)
        x = self.norm_out(x) * (1 + shift_scale[:, :, :, 1]) + shift_scale[:, :, :, 0]
        output = self.unpatch(x).reshape(batch, frames, rows, columns, channels, p, p).permute(0, 1, 4, 2, 5, 3, 6)
        return output.reshape(batch, frames, channels, height, width)


def load(manifest_path):
    """The denoiser a Likeness manifest names, its safetensors checked against the manifest's sha256; eval mode."""
    import hashlib

    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text())
    weights = manifest_path.parent / manifest["weights"]
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != manifest["sha256"]:
        raise ValueError(f"{weights}: sha256 {digest}, but the manifest says {manifest['sha256']}")
    model = VideoDenoiser(manifest["config"])
    model.load_state_dict(load_safetensors(weights), strict=True)
    return model.eval()


def save(model, directory, model_id, trained=True, name="video"):
    """Writes {name}.safetensors and {name}.manifest.json into `directory`, as Likeness's ModelWeights.Save does: a model
    trained in PyTorch is then served by pointing the generator's VideoModel:ManifestPath at the manifest (a latent model
    also needs its autoencoder's manifest beside it, named by config["autoencoder"]). Returns the manifest's path."""
    import hashlib

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    weights = directory / f"{name}.safetensors"
    save_safetensors(model.state_dict(), weights)
    manifest = {
        "model_id": model_id,
        "trained": trained,
        "config": model.config,
        "weights": weights.name,
        "sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
    }
    path = directory / f"{name}.manifest.json"
    path.write_text(json.dumps(manifest, indent=2))
    return path
