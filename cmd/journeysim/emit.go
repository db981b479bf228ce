package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios/experiment"
)

// jobTemplates are the cluster jobs --emit prints.
var jobTemplates = map[string]*template.Template{
	"slurm": template.Must(template.New("slurm").Funcs(template.FuncMap{"q": experiment.ShellQuote}).Parse(`#!/bin/bash
# Slurm job array for the sweep {{.Name}}: {{.Shards}} shards, one array task
# each. Submit with: sbatch {{.Script}}
# When every task is done, merge the shards:
#   {{q .Exe}} merge {{q .Out}}/shard-* --out {{q .Out}}/merged
# The output folder was made when this script was: Slurm opens the tasks'
# logs there before the script starts.
#SBATCH --job-name=journeysim-{{.Name}}
#SBATCH --array=0-{{.Last}}
#SBATCH --cpus-per-task=1
#SBATCH --output={{.Out}}/slurm-%A_%a.log
set -euo pipefail
# --resume makes a requeued task finish its shard rather than start again.
exec {{q .Exe}} sweep {{q .Experiment}} --shard auto/{{.Shards}} --resume --quiet \
  --workers "${SLURM_CPUS_PER_TASK:-1}" --out {{q .Out}}/shard-"${SLURM_ARRAY_TASK_ID}"
`)),
	"k8s": template.Must(template.New("k8s").Parse(`# Kubernetes indexed Job for the sweep {{.Name}}: {{.Shards}} shards, one pod
# each, JOB_COMPLETION_INDEX picking the shard. The image must hold
# journeysim; the volume claim journeysim-data holds the experiment (and its
# scenario) at /data and receives the results. Apply with:
#   kubectl apply -f this-file.yaml
# When the Job is complete, merge the shards from the volume:
#   journeysim merge /data/{{.OutBase}}/shard-* --out /data/{{.OutBase}}/merged
apiVersion: batch/v1
kind: Job
metadata:
  name: journeysim-{{.Name}}
spec:
  completionMode: Indexed
  completions: {{.Shards}}
  parallelism: {{.Shards}}
  backoffLimitPerIndex: 3
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: sweep
          image: journeysim:latest
          command: ["journeysim", "sweep", "/data/{{.ExperimentBase}}", "--shard", "auto/{{.Shards}}",
                    "--resume", "--quiet", "--out", "/data/{{.OutBase}}/shard-$(JOB_COMPLETION_INDEX)"]
          resources:
            requests: {cpu: "1", memory: 1Gi}
          volumeMounts:
            - {name: data, mountPath: /data}
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: journeysim-data}
`)),
}

// emitJob prints the cluster job that runs the sweep's shards.
func emitJob(st *globalState, opts *sweepOptions, file string, shard sweep.Shard, auto bool) error {
	tmpl, ok := jobTemplates[opts.emit]
	if !ok {
		return usagef("--emit %q: allowed slurm, k8s", opts.emit)
	}
	if !auto || shard.Count < 1 {
		return usagef("--emit %s needs --shard auto/N: the number of shards, each task finding its own", opts.emit)
	}
	if opts.out == "" {
		return usagef("--out is required: the folder the shards' results go under")
	}
	exp, host, err := openExperiment(st, opts, file)
	if err != nil {
		return err
	}
	defer host.Close()
	absExp, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(opts.out)
	if err != nil {
		return err
	}
	if opts.emit == "slurm" {
		// Slurm opens each task's log in the output folder before the
		// task starts, so the folder must exist when the job is queued.
		if strings.ContainsAny(absOut, " \t\n%") {
			return usagef("--out %q: a Slurm log path cannot hold spaces or %%; choose another folder", opts.out)
		}
		if err := os.MkdirAll(absOut, 0o755); err != nil {
			return &inputError{fmt.Errorf("--out %s: %w", opts.out, err)}
		}
	}
	exe, err := os.Executable()
	if err != nil {
		exe = "journeysim"
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '-'
	}, exp.Name)
	// A Kubernetes name: at most 63 characters with the prefix, ending in
	// a letter or digit.
	name = strings.Trim(name[:min(len(name), 52)], "-")
	if name == "" {
		name = "sweep"
	}
	return tmpl.Execute(st.stdout, map[string]any{
		"Name": name, "Shards": shard.Count, "Last": shard.Count - 1, "Exe": exe,
		"Experiment": absExp, "ExperimentBase": filepath.Base(file), "Out": absOut, "OutBase": filepath.Base(absOut),
		"Script": "sweep.sbatch",
	})
}
