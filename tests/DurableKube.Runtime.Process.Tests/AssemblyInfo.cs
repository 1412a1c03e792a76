using System.Runtime.Versioning;

// The process runtime, and so its tests, run on Linux only.
[assembly: SupportedOSPlatform("linux")]
