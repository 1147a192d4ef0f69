// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the PatchGlibcxxVersionNeed task (see
// TorchSharpCompat.targets), and into the test project (with ASYMML_NO_MSBUILD) so the ELF logic is unit-tested.
using System;
using System.IO;
using System.Text;
#nullable enable
#if !ASYMML_NO_MSBUILD
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace AsymML.Build
{
    /// <summary>Outcome of one patch attempt on one file.</summary>
    public enum ElfPatchResult
    {
        /// <summary>The weak flag was set now.</summary>
        Patched,
        /// <summary>The requirement was weak already (an earlier build patched it): nothing written.</summary>
        AlreadyWeak,
        /// <summary>The file does not require the version at all: nothing written.</summary>
        NotRequired,
    }

    /// <summary>
    /// Marks one GNU symbol-version requirement (a Vernaux entry of <c>.gnu.version_r</c>) weak
    /// (<c>VER_FLG_WEAK</c>) in a 64-bit little-endian ELF shared library. The dynamic loader then accepts a
    /// system library that lacks that version instead of refusing to load. Why this is safe for TorchSharp
    /// 0.107: the only symbol bound to GLIBCXX_3.4.32 is <c>_ZSt21ios_base_library_initv</c>, a link-time
    /// marker nothing calls.
    /// </summary>
    public static class ElfVersionNeedPatcher
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>True when <paramref name="libraryPath"/> defines <paramref name="version"/> (its name occurs
        /// NUL-terminated in the file, as it does in the version-definition string table).</summary>
        public static bool DefinesVersion(string libraryPath, string version)
        {
            byte[] bytes = File.ReadAllBytes(libraryPath);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(bytes, needle) >= 0;
        }

        /// <summary>Sets <c>VER_FLG_WEAK</c> on every requirement of <paramref name="version"/> in the file at
        /// <paramref name="path"/>; writes only the changed bytes and only when something changes.</summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF or is truncated.</exception>
        public static ElfPatchResult MarkVersionNeedWeak(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{path}: not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{path}: only 64-bit little-endian ELF is supported (class {elf[4]}, data {elf[5]})");

            ulong shoff = U64(elf, 0x28, path);
            int shentsize = U16(elf, 0x3A, path), shnum = U16(elf, 0x3C, path);
            int found = 0, patched = 0;
            for (int i = 0; i < shnum; i++)
            {
                int sh = Checked(shoff + (ulong)(i * shentsize), 64, elf, path);
                if (U32(elf, sh + 4, path) != ShtGnuVerneed) continue;
                int verneedOffset = Checked(U64(elf, sh + 0x18, path), 16, elf, path);
                int strtabHeader = Checked(shoff + (ulong)(U32(elf, sh + 0x28, path) * (uint)shentsize), 64, elf, path);
                int strtab = Checked(U64(elf, strtabHeader + 0x18, path), 1, elf, path);
                uint verneedCount = U32(elf, sh + 0x2C, path);

                int vn = verneedOffset;
                for (uint n = 0; n < verneedCount; n++)
                {
                    int auxCount = U16(elf, vn + 2, path);
                    int vna = Checked((ulong)vn + U32(elf, vn + 8, path), 16, elf, path);
                    for (int a = 0; a < auxCount; a++)
                    {
                        if (ReadCString(elf, strtab + (int)U32(elf, vna + 8, path), path) == version)
                        {
                            found++;
                            ushort flags = (ushort)U16(elf, vna + 4, path);
                            if ((flags & VerFlgWeak) == 0)
                            {
                                flags |= VerFlgWeak;
                                elf[vna + 4] = (byte)flags;
                                elf[vna + 5] = (byte)(flags >> 8);
                                patched++;
                            }
                        }
                        uint nextAux = U32(elf, vna + 12, path);
                        if (nextAux == 0) break;
                        vna = Checked((ulong)vna + nextAux, 16, elf, path);
                    }
                    uint next = U32(elf, vn + 12, path);
                    if (next == 0) break;
                    vn = Checked((ulong)vn + next, 16, elf, path);
                }
            }
            if (found == 0) return ElfPatchResult.NotRequired;
            if (patched == 0) return ElfPatchResult.AlreadyWeak;
            // Write to a sibling temp file and rename, so an interrupted build never leaves a half-written library.
            string temp = path + ".asymml-patch.tmp";
            // (netstandard2.0 under MSBuild's task factory: no File.Move overwrite, so Replace keeps it atomic.)
            File.WriteAllBytes(temp, elf);
            File.Replace(temp, path, null);
            return ElfPatchResult.Patched;
        }

        private static int Checked(ulong offset, int length, byte[] elf, string path)
        {
            if (offset > (ulong)(elf.Length - length))
                throw new InvalidDataException($"{path}: truncated ELF (offset {offset} + {length} beyond {elf.Length} bytes)");
            return (int)offset;
        }

        private static int U16(byte[] b, int o, string p) { Checked((ulong)o, 2, b, p); return b[o] | (b[o + 1] << 8); }
        private static uint U32(byte[] b, int o, string p) { Checked((ulong)o, 4, b, p); return BitConverter.ToUInt32(b, o); }
        private static ulong U64(byte[] b, int o, string p) { Checked((ulong)o, 8, b, p); return BitConverter.ToUInt64(b, o); }

        private static string ReadCString(byte[] b, int start, string path)
        {
            Checked((ulong)start, 1, b, path);
            int end = Array.IndexOf(b, (byte)0, start);
            if (end < 0) throw new InvalidDataException($"{path}: unterminated string in ELF string table");
            return Encoding.ASCII.GetString(b, start, end - start);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }
    }

#nullable enable
#if !ASYMML_NO_MSBUILD
    /// <summary>
    /// MSBuild task: for each given copy of libLibTorchSharp.so, marks its GLIBCXX_3.4.32 requirement weak when
    /// the system libstdc++ lacks that version (Debian 12 ships GCC 12's). Idempotent; never touches the NuGet cache
    /// because it is only given files inside output folders.
    /// </summary>
    public sealed class PatchGlibcxxVersionNeed : Task
    {
        /// <summary>The library copies to patch (in output or publish folders).</summary>
        [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();
        /// <summary>The version to relax.</summary>
        public string Version { get; set; } = "GLIBCXX_3.4.32";

        /// <inheritdoc />
        public override bool Execute()
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            string? system = Array.Find(candidates, File.Exists);
            if (system == null)
            {
                Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; TorchSharp compatibility patch not needed.");
                return true;
            }
            if (ElfVersionNeedPatcher.DefinesVersion(system, Version))
            {
                Log.LogMessage(MessageImportance.Low, $"{system} defines {Version}; no patch needed.");
                return true;
            }
            foreach (ITaskItem item in Libraries)
            {
                string path = item.ItemSpec;
                try
                {
                    ElfPatchResult result = ElfVersionNeedPatcher.MarkVersionNeedWeak(path, Version);
                    Log.LogMessage(result == ElfPatchResult.Patched ? MessageImportance.High : MessageImportance.Low,
                        $"TorchSharp compat: {path}: {result} ({Version} weak; {system} lacks it)");
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
                {
                    Log.LogError($"TorchSharp compat: cannot patch {path}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
