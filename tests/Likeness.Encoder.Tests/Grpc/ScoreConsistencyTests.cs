using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Likeness.Contracts.Common.V1;
using Likeness.Contracts.Identity.V1;
using Likeness.Testing;
using SkiaSharp;
using Xunit.Abstractions;
using static Likeness.Encoder.Tests.Grpc.Requests;
using ConsistencyScoring = Likeness.Identity.Scoring.ConsistencyScoring;

namespace Likeness.Encoder.Tests.Grpc;

/// <summary>
/// ScoreConsistency over gRPC on clips made from the public-domain photos. Assertions read verdicts and assignments, not
/// distances against a fixed number: the same-person threshold is calibrated (<see cref="ConsistencyScoring.DefaultThreshold"/>).
/// </summary>
public sealed class ScoreConsistencyTests(EncoderFixture fixture, ITestOutputHelper output) : IClassFixture<EncoderFixture>
{
    /// <summary>Frames of the Grace Hopper clip in which she replaces the astronaut.</summary>
    private static readonly int[] HopperFrames = [2, 3, 5, 7];

    private IdentityEncoder.IdentityEncoderClient Client => fixture.Encoder.Client;

    [Fact]
    public async Task Score_ClipOfTheReferencePerson_EveryFrameKeepsHer()
    {
        var score = await ScoreAsync(Client, People(Person("astronaut", TestPhotos.Astronaut)), AstronautViews());

        Print(score);
        Assert.Equal(ConsistencyScoring.DefaultThreshold, score.Threshold);
        Assert.Contains("dlib", score.Model.ModelId, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (uint)i), score.Frames.Select(f => f.Index));
        foreach (var frame in score.Frames)
        {
            var face = Assert.Single(frame.Faces, f => f.HasPerson);
            Assert.Equal(0u, face.Person);
            Assert.True(face.Comparisons.Single().SamePerson, $"frame {frame.Index}");
            Assert.Equal(6, face.Face.Landmarks.Count);
        }

        var person = Assert.Single(score.People);
        Assert.Equal("astronaut", person.Name);
        Assert.Equal(8u, person.FramesPresent);
        Assert.Equal(0f, person.MissingFraction);
        Assert.InRange(person.FaceSim, 0.9f, 1f);
        Assert.Equal(0f, person.Leakage);
        Assert.Equal([0u], person.ConfusedWith);
    }

    [Fact]
    public async Task Score_FramesShowingSomeoneElse_CountThePersonMissingInExactlyThoseFrames()
    {
        var frames = AstronautViews();
        var hopper = HopperViews();
        for (var i = 0; i < HopperFrames.Length; i++)
        {
            frames[HopperFrames[i]] = hopper[i];
        }

        var score = await ScoreAsync(Client, People(Person("", TestPhotos.Astronaut)), frames);

        Print(score);
        foreach (var frame in score.Frames)
        {
            var face = frame.Faces[0];
            if (HopperFrames.Contains((int)frame.Index))
            {
                Assert.DoesNotContain(frame.Faces, f => f.HasPerson);
                Assert.All(frame.Faces, f => Assert.False(f.Comparisons[0].SamePerson));
            }
            else
            {
                Assert.Equal(0u, Assert.Single(frame.Faces, f => f.HasPerson).Person);
            }
        }

        var person = Assert.Single(score.People);
        Assert.Equal("person 1", person.Name);
        Assert.Equal(4u, person.FramesPresent);
        Assert.Equal(0.5f, person.MissingFraction);
        Assert.InRange(person.FaceSim, 0.9f, 1f);
    }

    [Fact]
    public async Task Score_TwoPeopleSideBySide_EachFaceGoesToItsPersonWhicheverSideItIsOn()
    {
        using var astronaut = PhotoEdits.Load(TestPhotos.Astronaut);
        using var hopper = PhotoEdits.Load(TestPhotos.GraceHopper);
        using var darkAstronaut = PhotoEdits.Darker(astronaut, 0.7f);
        using var blurredHopper = PhotoEdits.Blurred(hopper, 1.2f);
        // (picture, the person on the left, the left picture's share of the width)
        var clip = new List<(byte[] Frame, uint Left, float Boundary)>();
        foreach (var (left, right, leftPerson) in new[]
        {
            (astronaut, hopper, 0u), (hopper, astronaut, 1u), (darkAstronaut, blurredHopper, 0u), (blurredHopper, darkAstronaut, 1u),
        })
        {
            using var both = PhotoEdits.SideBySide(512, left, right);
            clip.Add((PhotoEdits.Jpeg(both), leftPerson, 512f * left.Width / left.Height / both.Width));
        }

        var score = await ScoreAsync(
            Client, People(Person("astronaut", TestPhotos.Astronaut), Person("hopper", TestPhotos.GraceHopper)), [.. clip.Select(c => c.Frame)]);

        Print(score);
        foreach (var frame in score.Frames)
        {
            var (_, left, boundary) = clip[(int)frame.Index];
            Assert.Equal(2, frame.Faces.Count);
            foreach (var face in frame.Faces)
            {
                var onLeft = face.Face.Box.X + (face.Face.Box.Width / 2) < boundary;
                var expected = onLeft ? left : 1 - left;
                Assert.Equal(expected, face.Person);
                Assert.True(face.Comparisons[(int)expected].SamePerson);
                Assert.False(face.Comparisons[(int)(1 - expected)].SamePerson);
            }
        }

        Assert.All(score.People, p =>
        {
            Assert.Equal(0f, p.MissingFraction);
            Assert.Equal(0f, p.Leakage);
            Assert.Equal([0u, 0u], p.ConfusedWith);
        });
    }

    [Fact]
    public async Task Score_StoredPhotoIdentity_ScoresLikeItsImages()
    {
        var encoded = await Client.EncodeIdentityAsync(PhotoFamilyTests.Photo(File.ReadAllBytes(TestPhotos.Astronaut)));
        var frames = AstronautViews();
        frames[3] = HopperViews()[0];

        var byImages = await ScoreAsync(Client, People(Person("", TestPhotos.Astronaut)), frames);
        var byIdentity = await ScoreAsync(Client, People(new ScoringPerson { IdentityId = encoded.Identity.IdentityId }), frames);

        foreach (var (a, b) in byImages.Frames.Zip(byIdentity.Frames))
        {
            Assert.Equal(a.Faces.Select(f => f.Person), b.Faces.Select(f => f.Person));
            foreach (var (fa, fb) in a.Faces.Zip(b.Faces))
            {
                Assert.Equal(fa.Comparisons[0].SamePerson, fb.Comparisons[0].SamePerson);
                Assert.InRange(fb.Comparisons[0].Distance, fa.Comparisons[0].Distance - 0.01f, fa.Comparisons[0].Distance + 0.01f);
            }
        }

        Assert.Equal(7u, byIdentity.People[0].FramesPresent);
        Assert.Equal(byImages.People[0].MissingFraction, byIdentity.People[0].MissingFraction);
    }

    [Fact]
    public async Task Score_IdentityOfTheGenerationFamily_IsFailedPreconditionNamingIt_AndAnUnknownOneIsNotFound()
    {
        var generation = await fixture.Encoder.EncodeFaceAsync(712);
        var frame = File.ReadAllBytes(TestPhotos.Astronaut);

        var e = await Assert.ThrowsAsync<RpcException>(() => ScoreAsync(Client, People(new ScoringPerson { IdentityId = generation }), frame));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("people[0].identity_id", BadField(e));

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            ScoreAsync(Client, People(new ScoringPerson { IdentityId = new string('e', 32) }), frame));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    public static TheoryData<string> BadClips =>
    [
        "frame first", "truncated frame", "threshold 7", "no frames", "reference without a face", "people twice", "malformed identity id",
        "references and identity", "nine people",
    ];

    [Theory]
    [MemberData(nameof(BadClips))]
    public async Task Score_BadClip_IsInvalidArgumentNamingTheField_AndTheServiceKeepsServing(string clip)
    {
        var astronaut = File.ReadAllBytes(TestPhotos.Astronaut);
        var people = People(Person("", TestPhotos.Astronaut));
        (ScoreConsistencyRequest[] Messages, string Field) bad = clip switch
        {
            "frame first" => ([Frame(astronaut), new() { People = people }], "people"),
            "truncated frame" => ([new() { People = people }, Frame(astronaut), Frame(astronaut[..(astronaut.Length / 2)])], "frames[1].data"),
            "threshold 7" => ([new() { People = new ScoringPeople(people) { Threshold = 7 } }, Frame(astronaut)], "threshold"),
            "no frames" => ([new() { People = people }], "frames"),
            "people twice" => ([new() { People = people }, Frame(astronaut), new() { People = people }], "frames[1]"),
            "malformed identity id" => ([new() { People = People(new ScoringPerson { IdentityId = "not-an-id" }) }, Frame(astronaut)], "people[0].identity_id"),
            "references and identity" => (
                [new() { People = People(new ScoringPerson { IdentityId = new string('a', 32), References = { Image(astronaut) } }) }, Frame(astronaut)], "people[0]"),
            "nine people" => ([new() { People = People([.. Enumerable.Repeat(Person("", TestPhotos.Astronaut), 9)]) }, Frame(astronaut)], "people"),
            _ => ([new() { People = People(Person("", TestPhotos.Astronaut), new ScoringPerson { References = { Image(NoFace()) } }) }, Frame(astronaut)],
                "people[1].references[0].data"),
        };

        var e = await Assert.ThrowsAsync<RpcException>(() => SendAsync(Client, bad.Messages));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(bad.Field, BadField(e));
        var after = await ScoreAsync(Client, people, astronaut);
        Assert.True(after.Frames.Single().Faces.Single().Comparisons[0].SamePerson);
    }

    [Fact]
    public async Task Score_MoreFramesThanTheLimit_IsInvalidArgumentNamingFrames()
    {
        await using var encoder = await RunningHost.StartEncoderAsync("--Scoring:MaxFrames=2");
        var astronaut = File.ReadAllBytes(TestPhotos.Astronaut);
        var people = People(Person("", TestPhotos.Astronaut));

        var within = await ScoreAsync(encoder.Client, people, astronaut, astronaut);
        var e = await Assert.ThrowsAsync<RpcException>(() => ScoreAsync(encoder.Client, people, astronaut, astronaut, astronaut));

        Assert.Equal(2, within.Frames.Count);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("frames", BadField(e));
        Assert.Contains("more than 2 frames", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_ManyClipsAtOnce_ShareTheModelSlots_AndThoseBeyondTheQueueAreResourceExhausted()
    {
        await using var encoder = await RunningHost.StartEncoderAsync("--IdentityEncoding:MaxConcurrentEncodes=1", "--IdentityEncoding:MaxQueuedEncodes=0");
        var astronaut = File.ReadAllBytes(TestPhotos.Astronaut);
        var people = People(Person("", TestPhotos.Astronaut));

        var calls = Enumerable.Range(0, 6).Select(_ => Task.Run(() => ScoreAsync(encoder.Client, people, astronaut, astronaut, astronaut))).ToList();
        var outcomes = new List<StatusCode>();
        foreach (var call in calls)
        {
            try
            {
                await call;
                outcomes.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                outcomes.Add(e.StatusCode);
            }
        }

        Assert.Contains(StatusCode.OK, outcomes);
        Assert.Contains(StatusCode.ResourceExhausted, outcomes);
        Assert.All(outcomes, o => Assert.True(o is StatusCode.OK or StatusCode.ResourceExhausted, $"{o}"));
    }

    /// <summary>Sends the people, then each frame, and returns the answer (or throws its RpcException).</summary>
    internal static Task<ScoreConsistencyResponse> ScoreAsync(IdentityEncoder.IdentityEncoderClient client, ScoringPeople people, params byte[][] frames) =>
        SendAsync(client, [new ScoreConsistencyRequest { People = people }, .. frames.Select(Frame)]);

    internal static ScoringPeople People(params ScoringPerson[] people) => new() { People = { people } };

    private static async Task<ScoreConsistencyResponse> SendAsync(IdentityEncoder.IdentityEncoderClient client, IEnumerable<ScoreConsistencyRequest> messages)
    {
        using var call = client.ScoreConsistency();
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The server answered early (an error); its status comes with the response below.
        }

        return await call.ResponseAsync;
    }

    private static ScoreConsistencyRequest Frame(byte[] data) => new() { Frame = Image(data) };

    private static Image Image(byte[] data) => new() { Data = ByteString.CopyFrom(data) };

    private static ScoringPerson Person(string name, string photo) => new() { Name = name, References = { Image(File.ReadAllBytes(photo)) } };

    private static byte[] NoFace()
    {
        using var plain = PhotoEdits.Plain(320, 320, new SKColor(200, 180, 160));
        return PhotoEdits.Png(plain);
    }

    /// <summary>Eight views of the astronaut that are not the reference itself: mirror, shift, scales, crop, JPEG, dark, blur, tilt.</summary>
    private static byte[][] AstronautViews()
    {
        using var photo = PhotoEdits.Load(TestPhotos.Astronaut);
        return Views(photo, zoom: (100, 0, 300, 300));
    }

    /// <summary>Views of Grace Hopper made the same way.</summary>
    private static byte[][] HopperViews()
    {
        using var photo = PhotoEdits.Load(TestPhotos.GraceHopper);
        return Views(photo, zoom: (100, 60, 340, 340));
    }

    private static byte[][] Views(SKBitmap photo, (int X, int Y, int Width, int Height) zoom)
    {
        SKBitmap[] views =
        [
            PhotoEdits.Mirrored(photo),
            PhotoEdits.Moved(photo, 1, 23.5f, -17.25f),
            PhotoEdits.Moved(photo, 0.8f, 50, 40),
            PhotoEdits.Cropped(photo, zoom.X, zoom.Y, zoom.Width, zoom.Height, scale: 1.5f),
            PhotoEdits.Rotated(photo, 10),
            PhotoEdits.Darker(photo, 0.6f),
            PhotoEdits.Blurred(photo, 1.5f),
            photo.Copy(),
        ];
        try
        {
            return [.. views.Select((v, i) => i == views.Length - 1 ? PhotoEdits.Jpeg(v, 40) : PhotoEdits.Png(v))];
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }
        }
    }

    private void Print(ScoreConsistencyResponse score)
    {
        foreach (var frame in score.Frames)
        {
            var faces = frame.Faces.Select(f => string.Create(CultureInfo.InvariantCulture,
                $"face at x {f.Face.Box.X:0.00} w {f.Face.Box.Width:0.00} -> {(f.HasPerson ? f.Person.ToString(CultureInfo.InvariantCulture) : "-")} distances {string.Join("/", f.Comparisons.Select(Comparison))}"));
            output.WriteLine($"frame {frame.Index}: {string.Join("; ", faces)}");
        }

        foreach (var person in score.People)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{person.Name}: present {person.FramesPresent}, missing {person.MissingFraction:0.00}, face_sim {person.FaceSim:0.000}, drift {person.Drift:0.000}, loss {person.IdentityLoss:0.000}, leakage {person.Leakage:0.00}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threshold {score.Threshold}"));

        static string Comparison(FaceComparison c) =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Distance:0.000}{(c.SamePerson ? "*" : "")} cos {c.Similarity:0.000}");
    }
}
