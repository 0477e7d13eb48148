"""Likeness from Python: encode a reference, run a generation to completion receiving previews and frames, cancel
another, follow a long clip chunk by chunk and resume it after a dropped connection, and see how bad input is
answered. Uses grpcio (Debian's python3-grpcio) with stubs generated from the
repository's protos by Debian's protoc and gRPC plugin (protobuf-compiler, protobuf-compiler-grpc, libprotobuf-dev):

    mkdir -p gen && protoc -I protos -I /usr/include --python_out=gen --grpc_out=gen \
        --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin $(find protos -name '*.proto')
    PYTHONPATH=gen /usr/bin/python3 tests/clients/python/likeness_client.py --image face.png \
        [--encoder 127.0.0.1:5000] [--generator 127.0.0.1:5000] [--out DIR] [--token TOKEN]

--token (or LIKENESS_TOKEN) sends an API key or a JWT with every call as `authorization: Bearer TOKEN` metadata.

Exits 0 when every step behaved as the contract says, 1 otherwise.
"""

import argparse
import os
import sys

import grpc

from likeness.common.v1 import types_pb2
from likeness.generation.v1 import generator_pb2, generator_pb2_grpc
from likeness.identity.v1 import identity_encoder_pb2, identity_encoder_pb2_grpc

PNG_SIGNATURE = b"\x89PNG"


def expect(condition, message):
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def read_job(call, on_event=None):
    """Reads a job's stream to its end; returns its events and the status code it closed with."""
    events = []
    try:
        for event in call:
            events.append(event)
            if on_event:
                on_event(event)
        return events, grpc.StatusCode.OK, ""
    except grpc.RpcError as error:
        return events, error.code(), error.details()


class BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                  grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer TOKEN` to every call (metadata: gRPC refuses call credentials on cleartext channels)."""

    def __init__(self, token):
        self.metadata = ("authorization", f"Bearer {token}")

    def _signed(self, details):
        return details._replace(metadata=list(details.metadata or []) + [self.metadata])

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._signed(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._signed(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._signed(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._signed(details), requests)


def channel(target, token):
    plain = grpc.insecure_channel(target)
    return grpc.intercept_channel(plain, BearerToken(token)) if token else plain


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", required=True)
    parser.add_argument("--encoder", default="127.0.0.1:5000")
    parser.add_argument("--generator", default="127.0.0.1:5000")
    parser.add_argument("--out")
    parser.add_argument("--token", default=os.environ.get("LIKENESS_TOKEN", ""))
    args = parser.parse_args()

    encoder = identity_encoder_pb2_grpc.IdentityEncoderStub(channel(args.encoder, args.token))
    generator = generator_pb2_grpc.GeneratorStub(channel(args.generator, args.token))

    # 1. The generator's model.
    model = generator.DescribeModel(generator_pb2.DescribeModelRequest(), timeout=60)
    print(f"generator: {model.model.model_id} on {model.device}; trained as {model.objective}, "
          f"samples with {generator_pb2.Scheduler.Name(model.scheduler)}")

    # 2. Encode one reference into an identity.
    with open(args.image, "rb") as image:
        encoded = encoder.EncodeIdentity(
            identity_encoder_pb2.EncodeIdentityRequest(references=[types_pb2.Image(data=image.read())]), timeout=60)
    identity_id = encoded.identity.identity_id
    expect(len(identity_id) == 32, "identity ids are 32 hex characters")
    print(f"encoded {identity_id} (score {encoded.quality[0].score:.2f}, cache hit {encoded.cache_hit})")

    # 3. A generation to completion, receiving previews and frames.
    steps = 4
    request = generator_pb2.GenerateRequest(
        prompt="a character smiles",
        # Only what this client chooses: strength and region unset, so the server's defaults apply (and say so).
        characters=[generator_pb2.Character(identity_id=identity_id)],
        steps=steps,
        seed=7,
        preview=generator_pb2.PreviewOptions(every_n_steps=1, max_side=64, format=generator_pb2.PREVIEW_FORMAT_CONTACT_SHEET),
    )
    events, code, _ = read_job(generator.Generate(request, timeout=300))
    expect(code == grpc.StatusCode.OK, f"the generation stream closes with OK, not {code}")
    kinds = [event.WhichOneof("event") for event in events]
    # A job run again after its generator stopped starts again (attempt 2, same seed): the last `started` is the
    # attempt that completed, and its frames replace the earlier ones by index.
    started = [event.started for event in events if event.HasField("started")][-1]
    frames = list({event.frame.index: event.frame for event in events if event.HasField("frame")}.values())
    completed = [event.completed for event in events if event.HasField("completed")]
    expect(kinds.count("preview") == steps, "one preview per step")
    expect(len(frames) == started.num_frames, "every frame arrives")
    expect(all(frame.image.data.startswith(PNG_SIGNATURE) for frame in frames), "frames are PNG")
    expect(len(completed) == 1 and completed[0].seed == 7, "the stream ends with Completed, echoing the seed")
    cast = started.characters[0]
    expect(abs(cast.identity_strength - model.defaults.identity_strength) < 1e-6, "an unset strength is the server's default")
    expect(cast.default_region and 0 < cast.region.box.width < 1, "a character without a region is framed by default, not the whole frame")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        for frame in frames:
            with open(os.path.join(args.out, f"frame-{frame.index:03d}.png"), "wb") as file:
                file.write(frame.image.data)
    face_sim = completed[0].report.characters[0].mean_similarity
    print(f"generated {events[0].job_id}: {kinds.count('preview')} previews, {len(frames)} frames of "
          f"{started.width}x{started.height}, FaceSim {face_sim:.3f} (attempt {started.attempt}"
          f"{', on ' + started.generator if started.generator else ''})")

    # 4. Another generation, cancelled from a second call once it runs.
    cancelled = []

    def cancel_once_running(event):
        if event.HasField("step") and not cancelled:
            cancelled.append(generator.CancelJob(generator_pb2.CancelJobRequest(job_id=event.job_id), timeout=30).state)

    long_request = generator_pb2.GenerateRequest(
        prompt="a character talks", characters=[generator_pb2.Character(identity_id=identity_id)], steps=100)
    events, code, _ = read_job(generator.Generate(long_request, timeout=300), cancel_once_running)
    expect(cancelled == [generator_pb2.JOB_STATE_CANCELLED], "CancelJob answers CANCELLED")
    expect(code == grpc.StatusCode.CANCELLED, f"a cancelled job's stream closes with CANCELLED, not {code}")
    expect(events[-1].ended.state == generator_pb2.JOB_STATE_CANCELLED, "the last event says the job was cancelled")
    print(f"cancelled {events[-1].job_id} after {sum(e.HasField('step') for e in events)} step(s): {events[-1].ended.reason}")

    # 5. A long clip, made chunk by chunk, whose connection drops after its first chunk: sent again with the same
    #    client_request_id, the request attaches to the same job (which waited for it) and replays its events; the
    #    client reads on after the last sequence number it saw.
    long_clip = generator_pb2.GenerateRequest(
        prompt="a character talks", characters=[generator_pb2.Character(identity_id=identity_id)], seconds=3, fps=8, steps=2,
        client_request_id=f"long-clip-{os.getpid()}")
    call = generator.Generate(long_clip, timeout=300)
    seen = []
    for event in call:
        seen.append(event)
        if event.HasField("chunk_finished"):
            break
    call.cancel()
    again, code, _ = read_job(generator.Generate(long_clip, timeout=300))
    rest = [event for event in again if event.sequence > seen[-1].sequence]
    expect(again[0].job_id == seen[0].job_id, "the same request, sent again, attaches to the same job")
    expect(code == grpc.StatusCode.OK and rest[-1].HasField("completed"), f"the job completes, not {code}")
    expect([e.sequence for e in seen + rest] == list(range(1, len(seen) + len(rest) + 1)), "no event is lost or repeated")
    started = [event.started for event in seen if event.HasField("started")][-1]
    long_frames = {event.frame.index: event.frame for event in seen + rest if event.HasField("frame")}
    chunks = [event.chunk_finished for event in seen + rest if event.HasField("chunk_finished")]
    expect(sorted(long_frames) == list(range(started.num_frames)), "every frame of the long clip arrives once")
    expect(len(chunks) == started.total_chunks > 1, "a chunk_finished event per chunk")
    report = rest[-1].completed.report
    print(f"long clip {seen[0].job_id}: {started.num_frames} frames in {started.total_chunks} chunks, resumed after "
          f"sequence {seen[-1].sequence}; FaceSim per chunk "
          + ", ".join(f"{c.face_sim:.3f}" for c in report.characters[0].chunks))

    # 6. Bad input is refused with the status and the field named.
    bad = generator_pb2.GenerateRequest(characters=[generator_pb2.Character(identity_id=identity_id, identity_strength=3)])
    _, code, details = read_job(generator.Generate(bad, timeout=60))
    expect(code == grpc.StatusCode.INVALID_ARGUMENT, f"INVALID_ARGUMENT, not {code}")
    expect("characters[0].identity_strength" in details, "the field is named")
    print(f"bad input: INVALID_ARGUMENT {details}")
    try:
        encoder.GetIdentity(identity_encoder_pb2.GetIdentityRequest(identity_id="0" * 32), timeout=30)
        expect(False, "an unknown identity is NOT_FOUND")
    except grpc.RpcError as error:
        expect(error.code() == grpc.StatusCode.NOT_FOUND, f"NOT_FOUND, not {error.code()}")
        print(f"unknown identity: NOT_FOUND {error.details()}")


if __name__ == "__main__":
    main()
