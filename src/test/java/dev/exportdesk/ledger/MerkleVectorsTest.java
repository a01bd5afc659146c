package dev.exportdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RFC 6962 reference vectors (as published with certificate-transparency-go and
 * transparency-dev/merkle: eight leaf inputs, the roots of every prefix tree, known inclusion and
 * consistency proofs). Generation must reproduce them, verification must accept them, and every
 * forged variant (wrong index or size, flipped bit, missing, extra or reordered proof element,
 * swapped roots) must be rejected.
 */
class MerkleVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};
    private static final String[] ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** {leaf (1-based), tree size, proof...}. */
    private static final Object[][] INCLUSION = {
        {1, 1, new String[] {}},
        {1, 8, new String[] {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {6, 8, new String[] {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {3, 3, new String[] {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
        {2, 5, new String[] {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    };

    /** {size1, size2, proof...}. */
    private static final Object[][] CONSISTENCY = {
        {1, 1, new String[] {}},
        {1, 8, new String[] {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {6, 8, new String[] {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2, 5, new String[] {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
        {6, 7, new String[] {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    };

    private static List<byte[]> leafHashes() {
        List<byte[]> out = new ArrayList<>();
        for (String l : LEAVES) {
            out.add(Merkle.leafHash(HEX.parseHex(l)));
        }
        return out;
    }

    private static List<byte[]> hashes(String[] hex) {
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) {
            out.add(HEX.parseHex(h));
        }
        return out;
    }

    private static byte[] root(int size) {
        return HEX.parseHex(ROOTS[size - 1]);
    }

    @Test
    void rootsOfEveryPrefixTreeMatchTheReference() {
        List<byte[]> leaves = leafHashes();
        assertThat(HEX.formatHex(Merkle.root(List.of()))).isEqualTo(EMPTY);
        for (int n = 1; n <= 8; n++) {
            assertThat(HEX.formatHex(Merkle.root(leaves.subList(0, n)))).as("root of size %d", n).isEqualTo(ROOTS[n - 1]);
        }
    }

    @Test
    void inclusionVectorsAreGeneratedExactlyAndVerify() {
        List<byte[]> leaves = leafHashes();
        for (Object[] v : INCLUSION) {
            int leaf = (int) v[0] - 1;
            int size = (int) v[1];
            List<byte[]> proof = hashes((String[]) v[2]);
            assertThat(Merkle.inclusionProof(leaves, leaf, size)).as("PATH(%d, %d)", leaf, size)
                    .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof);
            assertThat(MerkleVerifier.verifyInclusion(leaf, size, leaves.get(leaf), proof, root(size))).isTrue();
        }
    }

    @Test
    void consistencyVectorsAreGeneratedExactlyAndVerify() {
        List<byte[]> leaves = leafHashes();
        for (Object[] v : CONSISTENCY) {
            int m = (int) v[0];
            int n = (int) v[1];
            List<byte[]> proof = hashes((String[]) v[2]);
            assertThat(Merkle.consistencyProof(leaves, m, n)).as("PROOF(%d, %d)", m, n)
                    .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(proof);
            assertThat(MerkleVerifier.verifyConsistency(m, n, proof, root(m), root(n))).isTrue();
        }
    }

    @Test
    void everyProofOfEveryTreeUpToEightLeavesRoundTrips() {
        List<byte[]> leaves = leafHashes();
        for (int n = 1; n <= 8; n++) {
            for (int i = 0; i < n; i++) {
                assertThat(MerkleVerifier.verifyInclusion(i, n, leaves.get(i), Merkle.inclusionProof(leaves, i, n),
                        root(n))).as("leaf %d of %d", i, n).isTrue();
            }
            for (int m = 1; m <= n; m++) {
                assertThat(MerkleVerifier.verifyConsistency(m, n, Merkle.consistencyProof(leaves, m, n), root(m),
                        root(n))).as("%d -> %d", m, n).isTrue();
            }
        }
    }

    @Test
    void forgedInclusionProofsFail() {
        List<byte[]> leaves = leafHashes();
        byte[] some = HEX.parseHex("abacaba000000000000000000000000000000000000000000060061e00123456");
        for (Object[] v : INCLUSION) {
            long leaf = (int) v[0] - 1;
            long size = (int) v[1];
            List<byte[]> proof = hashes((String[]) v[2]);
            byte[] lh = leaves.get((int) leaf);
            byte[] root = root((int) size);
            List<String> accepted = new ArrayList<>();
            check(accepted, "leaf-1", MerkleVerifier.verifyInclusion(leaf - 1, size, lh, proof, root));
            check(accepted, "leaf+1", MerkleVerifier.verifyInclusion(leaf + 1, size, lh, proof, root));
            check(accepted, "leaf^2", MerkleVerifier.verifyInclusion(leaf ^ 2, size, lh, proof, root));
            check(accepted, "size*2", MerkleVerifier.verifyInclusion(leaf, size * 2, lh, proof, root));
            check(accepted, "size/2", MerkleVerifier.verifyInclusion(leaf, size / 2, lh, proof, root));
            check(accepted, "wrong leaf", MerkleVerifier.verifyInclusion(leaf, size, some, proof, root));
            check(accepted, "empty root", MerkleVerifier.verifyInclusion(leaf, size, lh, proof, HEX.parseHex(EMPTY)));
            check(accepted, "random root", MerkleVerifier.verifyInclusion(leaf, size, lh, proof, some));
            check(accepted, "trailing root", MerkleVerifier.verifyInclusion(leaf, size, lh, plus(proof, root, false), root));
            check(accepted, "preceding root", MerkleVerifier.verifyInclusion(leaf, size, lh, plus(proof, root, true), root));
            for (int i = 0; i < proof.size(); i++) {
                check(accepted, "flipped bit in proof[" + i + "]",
                        MerkleVerifier.verifyInclusion(leaf, size, lh, flip(proof, i), root));
            }
            if (!proof.isEmpty()) {
                check(accepted, "removed element",
                        MerkleVerifier.verifyInclusion(leaf, size, lh, proof.subList(0, proof.size() - 1), root));
            }
            assertThat(accepted).as("forged proofs accepted for leaf %d of %d", leaf, size).isEmpty();
        }
    }

    @Test
    void forgedConsistencyProofsFail() {
        for (Object[] v : CONSISTENCY) {
            long m = (int) v[0];
            long n = (int) v[1];
            List<byte[]> proof = hashes((String[]) v[2]);
            if (proof.isEmpty()) {
                continue;
            }
            byte[] r1 = root((int) m);
            byte[] r2 = root((int) n);
            List<String> accepted = new ArrayList<>();
            check(accepted, "size1-1", MerkleVerifier.verifyConsistency(m - 1, n, proof, r1, r2));
            check(accepted, "size1+1", MerkleVerifier.verifyConsistency(m + 1, n, proof, r1, r2));
            check(accepted, "size1^2", MerkleVerifier.verifyConsistency(m ^ 2, n, proof, r1, r2));
            check(accepted, "size2*2", MerkleVerifier.verifyConsistency(m, n * 2, proof, r1, r2));
            check(accepted, "size2/2", MerkleVerifier.verifyConsistency(m, n / 2, proof, r1, r2));
            check(accepted, "swapped roots", MerkleVerifier.verifyConsistency(m, n, proof, r2, r1));
            check(accepted, "empty proof", MerkleVerifier.verifyConsistency(m, n, List.of(), r1, r2));
            check(accepted, "trailing root", MerkleVerifier.verifyConsistency(m, n, plus(proof, r2, false), r1, r2));
            check(accepted, "preceding root", MerkleVerifier.verifyConsistency(m, n, plus(proof, r1, true), r1, r2));
            check(accepted, "truncated", MerkleVerifier.verifyConsistency(m, n, proof.subList(0, proof.size() - 1), r1, r2));
            for (int i = 0; i < proof.size(); i++) {
                check(accepted, "flipped bit in proof[" + i + "]",
                        MerkleVerifier.verifyConsistency(m, n, flip(proof, i), r1, r2));
            }
            assertThat(accepted).as("forged proofs accepted for %d -> %d", m, n).isEmpty();
        }
    }

    private static void check(List<String> accepted, String what, boolean ok) {
        if (ok) {
            accepted.add(what);
        }
    }

    private static List<byte[]> plus(List<byte[]> proof, byte[] extra, boolean front) {
        List<byte[]> out = new ArrayList<>(proof);
        if (front) {
            out.add(0, extra);
        } else {
            out.add(extra);
        }
        return out;
    }

    private static List<byte[]> flip(List<byte[]> proof, int i) {
        List<byte[]> out = new ArrayList<>(proof);
        byte[] copy = out.get(i).clone();
        copy[0] ^= 8;
        out.set(i, copy);
        return out;
    }
}
