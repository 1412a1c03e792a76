using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>
/// The API server's checks of a pod's volumes and mounts (pkg/apis/core/validation: <c>validateVolumeSource</c>,
/// <c>validateKeyToPath</c>, <c>validateLocalDescendingPath</c>, <c>validateVolumeMounts</c>), with its messages.
/// </summary>
public static class VolumeValidation
{
    /// <summary>Checks that a volume has exactly one source, and the items and paths of the sources whose files the kubelet writes.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="path">Its field path (<c>spec.volumes[0]</c>).</param>
    /// <param name="errors">Where errors go.</param>
    public static void ValidateSource(V1Volume volume, string path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(errors);
        (string Name, object? Source)[] sources =
        [
            ("hostPath", volume.HostPath), ("emptyDir", volume.EmptyDir), ("gcePersistentDisk", volume.GcePersistentDisk),
            ("awsElasticBlockStore", volume.AwsElasticBlockStore), ("gitRepo", volume.GitRepo), ("secret", volume.Secret),
            ("nfs", volume.Nfs), ("iscsi", volume.Iscsi), ("glusterfs", volume.Glusterfs), ("persistentVolumeClaim", volume.PersistentVolumeClaim),
            ("rbd", volume.Rbd), ("flexVolume", volume.FlexVolume), ("cinder", volume.Cinder), ("cephfs", volume.Cephfs), ("flocker", volume.Flocker),
            ("downwardAPI", volume.DownwardAPI), ("fc", volume.Fc), ("azureFile", volume.AzureFile), ("configMap", volume.ConfigMap),
            ("vsphereVolume", volume.VsphereVolume), ("quobyte", volume.Quobyte), ("azureDisk", volume.AzureDisk),
            ("photonPersistentDisk", volume.PhotonPersistentDisk), ("portworxVolume", volume.PortworxVolume), ("projected", volume.Projected),
            ("scaleIO", volume.ScaleIO), ("storageos", volume.Storageos), ("csi", volume.Csi), ("ephemeral", volume.Ephemeral), ("image", volume.Image),
        ];
        var given = sources.Where(s => s.Source is not null).ToList();
        if (given.Count == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a volume type"));
            return;
        }

        foreach (var (name, _) in given.Skip(1))
        {
            errors.Add(FieldError.Forbidden(path.Child(name), "may not specify more than 1 volume type"));
        }

        switch (given[0].Source)
        {
            case V1ConfigMapVolumeSource configMap:
                if (string.IsNullOrEmpty(configMap.Name))
                {
                    errors.Add(FieldError.Required(path.Child("configMap").Child("name")));
                }

                Items(configMap.Items, path.Child("configMap").Child("items"), errors);
                Mode(configMap.DefaultMode, path.Child("configMap").Child("defaultMode"), errors);
                break;
            case V1SecretVolumeSource secret:
                if (string.IsNullOrEmpty(secret.SecretName))
                {
                    errors.Add(FieldError.Required(path.Child("secret").Child("secretName")));
                }

                Items(secret.Items, path.Child("secret").Child("items"), errors);
                Mode(secret.DefaultMode, path.Child("secret").Child("defaultMode"), errors);
                break;
            case V1DownwardAPIVolumeSource downward:
                var i = 0;
                foreach (var item in downward.Items ?? [])
                {
                    var at = path.Child("downwardAPI").Child("items").Index(i++);
                    NonReservedPath(item.Path, at.Child("path"), errors);
                    Mode(item.Mode, at.Child("mode"), errors);
                }

                Mode(downward.DefaultMode, path.Child("downwardAPI").Child("defaultMode"), errors);
                break;
            case V1ProjectedVolumeSource projected:
                var j = 0;
                foreach (var source in projected.Sources ?? [])
                {
                    var at = path.Child("projected").Child("sources").Index(j++);
                    Items(source.ConfigMap?.Items, at.Child("configMap").Child("items"), errors);
                    Items(source.Secret?.Items, at.Child("secret").Child("items"), errors);
                    var k = 0;
                    foreach (var item in source.DownwardAPI?.Items ?? [])
                    {
                        NonReservedPath(item.Path, at.Child("downwardAPI").Child("items").Index(k++).Child("path"), errors);
                    }
                }

                Mode(projected.DefaultMode, path.Child("projected").Child("defaultMode"), errors);
                break;
            case V1HostPathVolumeSource hostPath:
                if (string.IsNullOrEmpty(hostPath.Path))
                {
                    errors.Add(FieldError.Required(path.Child("hostPath").Child("path")));
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Checks a mount's <c>subPath</c> and <c>subPathExpr</c>: relative, without <c>..</c>, not both.</summary>
    /// <param name="mount">The mount.</param>
    /// <param name="path">Its field path.</param>
    /// <param name="errors">Where errors go.</param>
    public static void ValidateSubPath(V1VolumeMount mount, string path, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(mount);
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrEmpty(mount.SubPath))
        {
            DescendingPath(mount.SubPath, path.Child("subPath"), errors);
        }

        if (!string.IsNullOrEmpty(mount.SubPathExpr))
        {
            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                errors.Add(FieldError.Invalid(path.Child("subPathExpr"), mount.SubPathExpr, "subPathExpr and subPath are mutually exclusive"));
            }

            DescendingPath(mount.SubPathExpr, path.Child("subPathExpr"), errors);
        }
    }

    private static void Items(IList<V1KeyToPath>? items, string path, List<FieldError> errors)
    {
        var i = 0;
        foreach (var item in items ?? [])
        {
            var at = path.Index(i++);
            if (string.IsNullOrEmpty(item.Key))
            {
                errors.Add(FieldError.Required(at.Child("key")));
            }

            if (string.IsNullOrEmpty(item.Path))
            {
                errors.Add(FieldError.Required(at.Child("path")));
            }
            else
            {
                NonReservedPath(item.Path, at.Child("path"), errors);
            }

            Mode(item.Mode, at.Child("mode"), errors);
        }
    }

    private static void Mode(int? mode, string path, List<FieldError> errors)
    {
        if (mode is { } m && (m < 0 || m > 511))
        {
            errors.Add(FieldError.Invalid(path, m, "must be a number between 0 and 0777 (octal), both inclusive"));
        }
    }

    /// <summary><c>ValidateLocalNonReservedPath</c>: a descending path that does not start with <c>..</c>.</summary>
    private static void NonReservedPath(string? value, string path, List<FieldError> errors)
    {
        var target = value ?? string.Empty;
        DescendingPath(target, path, errors);
        if (target.StartsWith("..", StringComparison.Ordinal) && !target.StartsWith("../", StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(path, target, "must not start with '..'"));
        }
    }

    /// <summary><c>validateLocalDescendingPath</c>: relative, and no <c>..</c> element.</summary>
    private static void DescendingPath(string value, string path, List<FieldError> errors)
    {
        if (value.StartsWith('/'))
        {
            errors.Add(FieldError.Invalid(path, value, "must be a relative path"));
        }

        if (value.Split('/').Contains(".."))
        {
            errors.Add(FieldError.Invalid(path, value, "must not contain '..'"));
        }
    }
}
