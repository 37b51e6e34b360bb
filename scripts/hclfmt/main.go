// Command hclfmt checks or rewrites Terraform files in canonical HCL style.
//
// It applies hclwrite.Format, the formatter `terraform fmt` is built on. The project
// uses it where the terraform binary cannot be installed; CI runs `terraform fmt -check`
// as well wherever terraform is present.
//
//	go run ./scripts/hclfmt -check deploy/terraform   # exit 1 and list files that differ
//	go run ./scripts/hclfmt deploy/terraform          # rewrite them in place
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

func main() {
	check := flag.Bool("check", false, "only report files that are not formatted")
	flag.Parse()
	roots := flag.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	unformatted, failed := 0, false
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if entry.IsDir() && strings.HasPrefix(entry.Name(), ".") && path != root {
				return filepath.SkipDir
			}
			if entry.IsDir() || !(strings.HasSuffix(path, ".tf") || strings.HasSuffix(path, ".tfvars")) {
				return nil
			}
			source, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if _, diags := hclsyntax.ParseConfig(source, path, hcl.InitialPos); diags.HasErrors() {
				fmt.Fprintln(os.Stderr, diags.Error())
				failed = true
				return nil
			}
			formatted := hclwrite.Format(source)
			if bytes.Equal(source, formatted) {
				return nil
			}
			unformatted++
			fmt.Println(path)
			if !*check {
				return os.WriteFile(path, formatted, 0o644)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if failed || (*check && unformatted > 0) {
		os.Exit(1)
	}
}
