using System.CommandLine;
using Likeness.Trainer.Commands;

var root = new RootCommand("likeness-train: trains, evaluates and illustrates the Likeness model family on the procedural cast, and imports the photo face recogniser.")
{
    TrainAutoencoderCommand.Create(),
    TrainBackboneCommand.Create(),
    TrainVideoCommand.Create(),
    EvaluateCommand.Create(),
    CastPhotosCommand.Create(),
    ExtractBackboneCommand.Create(),
    TrainTraitsCommand.Create(),
    ImportFaceRecogniserCommand.Create(),
    ImportFaceDetectorCommand.Create(),
    FaceDetectorReportCommand.Create(),
    CalibrateFacesCommand.Create(),
};
return root.Parse(args).Invoke();
