namespace DurableKube.Api.Streaming.Spdy;

/// <summary>The SPDY/3.1 control frame types.</summary>
internal enum SpdyFrameType : ushort
{
    /// <summary>Not a control frame: a DATA frame.</summary>
    Data = 0,

    /// <summary>SYN_STREAM: opens a stream, with headers.</summary>
    SynStream = 1,

    /// <summary>SYN_REPLY: accepts a stream, with headers.</summary>
    SynReply = 2,

    /// <summary>RST_STREAM: ends a stream abnormally.</summary>
    RstStream = 3,

    /// <summary>SETTINGS.</summary>
    Settings = 4,

    /// <summary>PING: echoed by the receiver.</summary>
    Ping = 6,

    /// <summary>GOAWAY: the session ends.</summary>
    GoAway = 7,

    /// <summary>HEADERS: more headers for a stream.</summary>
    Headers = 8,

    /// <summary>WINDOW_UPDATE: flow control.</summary>
    WindowUpdate = 9,
}
