#!/usr/bin/env bash
# The bundled lab's commands as a plain shell script, run the way labcheck runs them (a shell
# in each kit node through `docker exec`), with no checks and no evidence: the baseline that
# bench/lab_overhead.py compares labcheck against. Interactive steps get their typed lines on
# stdin (`docker exec -i`, `run -i`) instead of a terminal, all at once: no terminal to draw on
# (apt-get draws its progress only on one) and no waiting for prompts, so this baseline is a
# little faster than any replay a student could watch.
set -u
n1=${NODE1:-labcheck-node1}
n2=${NODE2:-labcheck-node2}
docker=${DOCKER:-/usr/bin/docker}
on() { local node=$1; shift; "$docker" exec -w "${WORKDIR:-/root}" "$node" bash -c "$*"; }
typed() { local node=$1 input=$2; shift 2; printf '%b' "$input" | "$docker" exec -i -w /root "$node" bash -c "$*"; }

on $n1 'docker container run hello-world'
on $n1 'docker image pull alpine'
on $n1 'docker image ls'
on $n1 'docker container run alpine ls -l'
on $n1 'docker container run alpine echo "hello from alpine"'
on $n1 'docker container run alpine /bin/sh'
typed $n1 'ls -l\nuname -a\nexit\n' 'docker container run -i alpine /bin/sh'
on $n1 'docker container ls'
on $n1 'docker container ls -a'
typed $n1 'echo "hello world" > hello.txt\nls\nexit\n' 'docker container run -i alpine /bin/ash'
ash=$(on $n1 'docker container ls -lq')
on $n1 'docker container run alpine ls'
on $n1 'docker container ls -a'
on $n1 "docker container start $ash"
on $n1 'docker container ls'
on $n1 "docker container exec $ash ls"
typed $n1 'apt-get update\napt-get install -y figlet\nfiglet "hello docker"\nexit\n' 'docker container run -i ubuntu bash'
figlet=$(on $n1 'docker container ls -lq')
on $n1 'docker container ls -a'
on $n1 "docker container diff $figlet"
image=$(on $n1 "docker container commit $figlet" | cut -c8-19)
on $n1 'docker image ls'
on $n1 "docker image tag $image ourfiglet"
on $n1 'docker image ls'
on $n1 'docker container run ourfiglet figlet hello'
on $n1 'cat index.js'
on $n1 'cat Dockerfile'
on $n1 'docker image build -t hello:v0.1 .'
on $n1 'docker container run hello:v0.1'
on $n1 'docker image ls'
hello=$(on $n1 'docker image inspect --format "{{.Id}}" hello:v0.1' | cut -c8-19)
on $n1 "docker image history $hello"
on $n1 'echo "console.log(\"this is v0.2\");" >> index.js'
on $n1 'cat index.js'
on $n1 'docker image build -t hello:v0.2 .'
on $n1 'docker container run hello:v0.2'
on $n1 'docker image ls'
on $n1 'docker image pull alpine'
on $n1 'docker image inspect alpine'
on $n1 'docker image inspect --format "{{ json .RootFS.Layers }}" alpine'
on $n1 "docker image inspect --format \"{{ json .RootFS.Layers }}\" $hello"
join=$(on $n1 'docker swarm init --advertise-addr $(hostname -i)' | grep -o 'docker swarm join --token .*')
on $n2 "$join"
until on $n1 'docker node ls' | grep -q 'node2 .*Ready'; do sleep 1; done
on $n1 'docker node ls'
on $n1 'git clone https://github.com/docker/example-voting-app'
on $n1 'cd example-voting-app'
WORKDIR=/root/example-voting-app
on $n1 'cat docker-stack.yml'
on $n1 'docker stack deploy --compose-file=docker-stack.yml voting_stack'
on $n1 'docker stack ls'
until on $n1 'docker stack services voting_stack' | grep -qE 'voting_stack_vote +replicated +2/2'; do sleep 2; done
on $n1 'docker stack services voting_stack'
on $n1 'docker service ps voting_stack_vote'
on $n1 'docker service scale voting_stack_vote=5'
until on $n1 'docker stack services voting_stack' | grep -qE 'voting_stack_vote +replicated +5/5'; do sleep 2; done
on $n1 'docker stack services voting_stack'
