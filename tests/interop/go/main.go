// stele-interop: an independent cross-check of Stele's signed notes, checkpoints and tiles
// against Go's golang.org/x/mod/sumdb/note and sumdb/tlog (written for Stele; not upstream code).
//
// It builds offline in GOPATH mode against the Debian packages golang-go and
// golang-golang-x-mod-dev, which install the sources under /usr/share/gocode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$(mktemp -d) go build -o stele-interop main.go
//
// The xunit test InteropWithGoTests in tests/Stele.Tlog.Tests does exactly this.
//
// Commands (errors go to stderr with exit status 1):
//
//	keygen NAME                 print a Go signer key and verifier key, one per line
//	open VKEY FILE              verify the signed note in FILE with VKEY; print its text
//	sign SKEY FILE              sign the note text in FILE with SKEY; print the signed note
//	checkpoint VKEY FILE        like open, then parse the text as a checkpoint; print "origin size root"
//	check DIR REQUEST.json      read C2SP tiles from DIR for the tree in the request; check its root,
//	                            and every inclusion and consistency proof in it with CheckRecord /
//	                            CheckTree; also require Go's own proofs from the tiles to be identical
//	log VKEY DIR [OLD]          verify a whole published log in DIR as a tlog client would: the signed
//	                            checkpoint (VKEY), the tree hash from the tiles, the inclusion of EVERY
//	                            entry of the entry bundles (tlog.RecordHash, ProveRecord, CheckRecord),
//	                            and with OLD (an earlier signed checkpoint file) consistency with it
//	                            (ProveTree, CheckTree); print "ok ORIGIN SIZE inclusions N consistent-from M"
package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "stele-interop:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: stele-interop keygen|open|sign|checkpoint|check ...")
	}
	switch {
	case args[0] == "keygen" && len(args) == 2:
		skey, vkey, err := note.GenerateKey(rand.Reader, args[1])
		if err != nil {
			return err
		}
		fmt.Println(skey)
		fmt.Println(vkey)
		return nil
	case args[0] == "open" && len(args) == 3:
		n, err := openNote(args[1], args[2])
		if err != nil {
			return err
		}
		fmt.Print(n.Text)
		return nil
	case args[0] == "sign" && len(args) == 3:
		signer, err := note.NewSigner(args[1])
		if err != nil {
			return err
		}
		text, err := os.ReadFile(args[2])
		if err != nil {
			return err
		}
		signed, err := note.Sign(&note.Note{Text: string(text)}, signer)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(signed)
		return err
	case args[0] == "checkpoint" && len(args) == 3:
		n, err := openNote(args[1], args[2])
		if err != nil {
			return err
		}
		origin, size, root, err := parseCheckpoint(n.Text)
		if err != nil {
			return err
		}
		fmt.Printf("%s %d %s\n", origin, size, root)
		return nil
	case args[0] == "check" && len(args) == 3:
		return check(args[1], args[2])
	case args[0] == "log" && (len(args) == 3 || len(args) == 4):
		old := ""
		if len(args) == 4 {
			old = args[3]
		}
		return checkLog(args[1], args[2], old)
	}
	return fmt.Errorf("unknown command or wrong arguments: %q", args)
}

func parseCheckpoint(text string) (string, int64, tlog.Hash, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return "", 0, tlog.Hash{}, errors.New("checkpoint text has fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return "", 0, tlog.Hash{}, fmt.Errorf("bad checkpoint size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return "", 0, tlog.Hash{}, err
	}
	return lines[0], size, root, nil
}

// checkLog reads nothing but the published files and the verifier key.
func checkLog(vkey, dir, oldFile string) error {
	n, err := openNote(vkey, filepath.Join(dir, "checkpoint"))
	if err != nil {
		return fmt.Errorf("checkpoint: %v", err)
	}
	origin, size, root, err := parseCheckpoint(n.Text)
	if err != nil {
		return err
	}
	if origin != n.Sigs[0].Name {
		return fmt.Errorf("checkpoint origin %q is not the signer's name %q", origin, n.Sigs[0].Name)
	}
	hashes := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, c2spTiles{dir})
	if th, err := tlog.TreeHash(size, hashes); err != nil || th != root {
		return fmt.Errorf("tree hash from tiles: %v %v, checkpoint says %v", th, err, root)
	}
	for start := int64(0); start < size; start += 256 {
		w := size - start
		if w > 256 {
			w = 256
		}
		tile := tlog.Tile{H: 8, L: -1, N: start / 256, W: int(w)}
		bundle, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c2spPath(tile))))
		if err != nil {
			return err
		}
		for i := start; i < start+w; i++ {
			if len(bundle) < 2 {
				return fmt.Errorf("%s ends before entry %d", c2spPath(tile), i)
			}
			l := int(bundle[0])<<8 | int(bundle[1])
			if len(bundle) < 2+l {
				return fmt.Errorf("%s: entry %d is truncated", c2spPath(tile), i)
			}
			proof, err := tlog.ProveRecord(size, i, hashes)
			if err != nil {
				return fmt.Errorf("inclusion of %d: %v", i, err)
			}
			if err := tlog.CheckRecord(proof, size, root, i, tlog.RecordHash(bundle[2:2+l])); err != nil {
				return fmt.Errorf("inclusion of entry %d in %d: %v", i, size, err)
			}
			bundle = bundle[2+l:]
		}
		if len(bundle) != 0 {
			return fmt.Errorf("%s has bytes after its %d entries", c2spPath(tile), w)
		}
	}
	from := "-"
	if oldFile != "" {
		on, err := openNote(vkey, oldFile)
		if err != nil {
			return fmt.Errorf("old checkpoint: %v", err)
		}
		_, oldSize, oldRoot, err := parseCheckpoint(on.Text)
		if err != nil {
			return err
		}
		if oldSize > size {
			return fmt.Errorf("old checkpoint (%d) is larger than the current one (%d)", oldSize, size)
		}
		proof, err := tlog.ProveTree(size, oldSize, hashes)
		if err != nil {
			return fmt.Errorf("consistency %d -> %d: %v", oldSize, size, err)
		}
		if err := tlog.CheckTree(proof, size, root, oldSize, oldRoot); err != nil {
			return fmt.Errorf("consistency %d -> %d: %v", oldSize, size, err)
		}
		from = strconv.FormatInt(oldSize, 10)
	}
	fmt.Printf("ok %s %d inclusions %d consistent-from %s\n", origin, size, size, from)
	return nil
}

func openNote(vkey, file string) (*note.Note, error) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	msg, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return note.Open(msg, note.VerifierList(verifier))
}

// request is what the Stele test writes: a tree head and proofs Stele computed from its tiles.
type request struct {
	Size       int64       `json:"size"`
	Root       tlog.Hash   `json:"root"`
	Inclusions []inclusion `json:"inclusions"`
	Trees      []older     `json:"consistencies"`
}

type inclusion struct {
	Index    int64       `json:"index"`
	LeafHash tlog.Hash   `json:"leafHash"`
	Proof    []tlog.Hash `json:"proof"`
}

type older struct {
	Size  int64       `json:"size"`
	Root  tlog.Hash   `json:"root"`
	Proof []tlog.Hash `json:"proof"`
}

func check(dir, requestFile string) error {
	raw, err := os.ReadFile(requestFile)
	if err != nil {
		return err
	}
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return err
	}
	// TileHashReader checks every tile it loads against the tree hash.
	hashes := tlog.TileHashReader(tlog.Tree{N: req.Size, Hash: req.Root}, c2spTiles{dir})
	root, err := tlog.TreeHash(req.Size, hashes)
	if err != nil {
		return fmt.Errorf("tree hash from tiles: %v", err)
	}
	if root != req.Root {
		return fmt.Errorf("tiles give root %v, Stele said %v", root, req.Root)
	}
	checks := 1
	for _, in := range req.Inclusions {
		if err := tlog.CheckRecord(in.Proof, req.Size, req.Root, in.Index, in.LeafHash); err != nil {
			return fmt.Errorf("inclusion of %d in %d: Stele's proof fails: %v", in.Index, req.Size, err)
		}
		own, err := tlog.ProveRecord(req.Size, in.Index, hashes)
		if err != nil {
			return fmt.Errorf("inclusion of %d: %v", in.Index, err)
		}
		if !equal(own, in.Proof) {
			return fmt.Errorf("inclusion of %d in %d: Go's proof differs from Stele's", in.Index, req.Size)
		}
		checks++
	}
	for _, t := range req.Trees {
		if err := tlog.CheckTree(t.Proof, req.Size, req.Root, t.Size, t.Root); err != nil {
			return fmt.Errorf("consistency %d -> %d: Stele's proof fails: %v", t.Size, req.Size, err)
		}
		own, err := tlog.ProveTree(req.Size, t.Size, hashes)
		if err != nil {
			return fmt.Errorf("consistency %d -> %d: %v", t.Size, req.Size, err)
		}
		if !equal(own, t.Proof) {
			return fmt.Errorf("consistency %d -> %d: Go's proof differs from Stele's", t.Size, req.Size)
		}
		checks++
	}
	fmt.Printf("ok %d checks\n", checks)
	return nil
}

func equal(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// c2spTiles reads height-8 hash tiles from a directory in the C2SP layout
// (tile/<L>/<N>[.p/<W>]), which drops the height element of Go's sumdb paths.
type c2spTiles struct{ dir string }

func (c2spTiles) Height() int { return 8 }

func (r c2spTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, t := range tiles {
		if t.H != 8 || t.L < 0 {
			return nil, fmt.Errorf("unexpected tile %+v", t)
		}
		b, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(c2spPath(t))))
		if err != nil {
			return nil, err
		}
		if len(b) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("tile %s has %d bytes, want %d", c2spPath(t), len(b), t.W*tlog.HashSize)
		}
		data[i] = b
	}
	return data, nil
}

func (c2spTiles) SaveTiles([]tlog.Tile, [][]byte) {}

// c2spPath spells N in 3-digit groups, all but the last prefixed with x.
func c2spPath(t tlog.Tile) string {
	n := t.N
	groups := []string{fmt.Sprintf("%03d", n%1000)}
	for n /= 1000; n > 0; n /= 1000 {
		groups = append([]string{fmt.Sprintf("x%03d", n%1000)}, groups...)
	}
	level := strconv.Itoa(t.L)
	if t.L == -1 {
		level = "entries" // C2SP entry bundles
	}
	p := fmt.Sprintf("tile/%s/%s", level, strings.Join(groups, "/"))
	if t.W < 256 {
		p += fmt.Sprintf(".p/%d", t.W)
	}
	return p
}
