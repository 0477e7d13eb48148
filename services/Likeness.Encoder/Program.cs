using Likeness.Encoder;

EncoderApp.Create(args).Run();
