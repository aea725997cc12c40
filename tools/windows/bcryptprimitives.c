/* Wine-only stand-in, built by tools/windows/lane.mjs into the lane's Wine prefix (never shipped): Wine 8 has no
 * bcryptprimitives.dll, whose ProcessPrng the Windows keyring binary and Go programs (esbuild.exe) import. Windows 10
 * and later have it. This fills the buffer from advapi32's RtlGenRandom (SystemFunction036), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
