namespace DurableKube.Api.Content;

/// <summary>The negotiated response: its shape, its encoding, and the Content-Type to answer with.</summary>
/// <param name="Shape">Object, Table or partial metadata.</param>
/// <param name="Yaml">Whether to encode YAML rather than JSON.</param>
/// <param name="ContentType">The Content-Type header.</param>
/// <param name="MetaVersion">For tables and partial metadata: <c>v1</c> or <c>v1beta1</c>.</param>
internal sealed record ResponseFormat(ResponseShape Shape, bool Yaml, string ContentType, string MetaVersion)
{
    public static ResponseFormat Json { get; } = new(ResponseShape.Object, false, MediaType.Json, "v1");

    /// <summary>Picks the first acceptable media type; JSON when none is (we do not speak protobuf).</summary>
    public static ResponseFormat Negotiate(IReadOnlyList<MediaType> accept, bool allowTransform)
    {
        foreach (var media in accept)
        {
            var kind = media.Parameter("as");
            if (kind is not null)
            {
                if (!allowTransform || media.Type != MediaType.Json || media.Parameter("g") != "meta.k8s.io"
                    || media.Parameter("v") is not ("v1" or "v1beta1"))
                {
                    continue;
                }

                var version = media.Parameter("v")!;
                switch (kind)
                {
                    case "Table":
                        return new ResponseFormat(ResponseShape.Table, false, media.Text, version);
                    case "PartialObjectMetadata" or "PartialObjectMetadataList":
                        return new ResponseFormat(ResponseShape.PartialMetadata, false, media.Text, version);
                    default:
                        continue;
                }
            }

            switch (media.Type)
            {
                case MediaType.Json or "application/*" or "*/*":
                    return Json;
                case MediaType.Yaml:
                    return new ResponseFormat(ResponseShape.Object, true, MediaType.Yaml, "v1");
            }
        }

        return Json;
    }
}
