package dev.exportdesk.ledger;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Checks RFC 6962 proofs without the tree, by the algorithms of RFC 9162 §2.1.3.2 (inclusion) and
 * §2.1.4.2 (consistency). Every method returns false for anything malformed: wrong sizes, hashes
 * that are not 32 bytes, proofs that are too short or too long.
 */
public final class MerkleVerifier {
    private static final int HASH = 32;

    private MerkleVerifier() {
    }

    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof,
                                          byte[] root) {
        if (leafIndex < 0 || leafIndex >= treeSize || !isHash(leafHash) || !isHash(root) || !allHashes(proof)) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Merkle.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = Merkle.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    public static boolean verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
        if (size1 < 0 || size2 < size1 || !allHashes(proof)) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && Arrays.equals(root1, root2);
        }
        if (size1 == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty() || !isHash(root1) || !isHash(root2)) {
            return false;
        }
        List<byte[]> path = proof;
        if (Long.bitCount(size1) == 1) {
            path = new java.util.ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Merkle.nodeHash(c, fr);
                sr = Merkle.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = Merkle.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
    }

    private static boolean isHash(byte[] h) {
        return h != null && h.length == HASH;
    }

    private static boolean allHashes(List<byte[]> proof) {
        return proof != null && proof.stream().allMatch(MerkleVerifier::isHash);
    }
}
