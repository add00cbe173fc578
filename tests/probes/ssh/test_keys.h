// SPDX-License-Identifier: Apache-2.0
// Public keys for tests (public halves only; the private halves were discarded). Fingerprints
// were printed by `ssh-keygen -lf` (OpenSSH 9.2p1) when they were made.
#pragma once

#include <string_view>

namespace imageprobe::probes::ssh::test_keys {

inline constexpr std::string_view kEdABlob =
    "AAAAC3NzaC1lZDI1NTE5AAAAIIc7Yabw1UgIGRll3DKoQbhjga1PqA5LjVoW3Lh7kb3a";
inline constexpr std::string_view kEdAFingerprint =
    "SHA256:qR1yXqaeNj2fZIYltwKSV417rGoiLr2JBOntHBoHHLg";

inline constexpr std::string_view kEdBBlob =
    "AAAAC3NzaC1lZDI1NTE5AAAAIF+JyiasylzrBNY+cJjG2MOxgH25CTh4mFp6PvxXXApz";
inline constexpr std::string_view kEdBFingerprint =
    "SHA256:WUcXrht5QeBZJmdaIcPweZ+2pyFH5D2WFg/1r6FqzhM";

inline constexpr std::string_view kEdCBlob =
    "AAAAC3NzaC1lZDI1NTE5AAAAIHrNRmsBg+6gNQ6wYUpeU0vnfBkIqH1amK0ya8Hg7qjm";
inline constexpr std::string_view kEdCFingerprint =
    "SHA256:Dq/zVquDeW8xfX3XEg1fWw9fsFWzLIKcL0W8hQUVcF0";

inline constexpr std::string_view kRsa1024Blob =
    "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDAFiK4sannCu8mgD1QtSJUowUB/gRiVJL32/+Fmxx8uk1+2Ln8"
    "GrBYn+zKpJn18LrWKNsBLYt5EaPDNy/5KlSYchNV0qsK2cuXAcxzjS9cUdBP5io7VhfAV2WpdfvbtvEi"
    "0VaPaO+l3QxMyaBUsNTjlYJ2qNASBcRiks6fEWba3w==";
inline constexpr std::string_view kRsa1024Fingerprint =
    "SHA256:LaQFTF6STkHGVl6RS1zOjPDr5bTpLXNteQDezFCw87U";

inline constexpr std::string_view kDsaBlob =
    "AAAAB3NzaC1kc3MAAACBAID2hoiIsD0DYXJwIwHK74I4ReYDDJKTxuizTN/1nlxAbcO8h0+2UMzkh1Nk"
    "1zsXrnc18eaC1rxgc4JXCPoa2+pw50NRzAO/6yya4pgStb9zjZgMuOudp8HVnJwfqAdyRd1wpP9r5PEu"
    "jHjKPXzllb855XLT2uARKeRU3ciDrFHZAAAAFQCmmZBT+wcc/5mnLTm+UGERy9FutQAAAIBYlxMYgibo"
    "GK97ia/YmvjMgVtpmm9HcF/ZEvfF/axc6vWEnqgGepm8c3YzgXO/RaZ6t06l1hSpVm6T/HM3v3h98thl"
    "4UybBBz+ZfhN7HeFwXcCe/oDLe34KtTwrJLfkRn6sVvEMjSOjI+BcOEI7GHDwoh3RITHu4KeT22jc8ns"
    "0QAAAIA8Nh4w4zb9BN4fOG8ofi4tfIw8klkWhANAC/19VFpnrCI0VxPEJ9AQRm+t0su0nTiNeDdyB5EF"
    "xk/e+TSjnPuiSO7bSv++u6LhduE4uEZA7EfFHKAwAc72FjudOQpyrC65BfkkS7iNtVXn0LOEN1h4y9tD"
    "Ag6d1zOgqILrmKUb1Q==";
inline constexpr std::string_view kDsaFingerprint =
    "SHA256:cvCrbEpqr38Jo3sYJYzqz+Ez5BIzDoUkQGCha5d0TxQ";

}  // namespace imageprobe::probes::ssh::test_keys
