"""Lab Markdown written for these tests, in the project's own words, in the two styles
`labcheck import` reads."""

from __future__ import annotations

PWD_STYLE = """---
title: "Two shells and a swarm"
terms: 2
---

This short lab walks through a container shell, a saved image and a two-node swarm.

## 1.0 A shell in a container

Open a shell inside a fresh container:

```.term1
docker container run -it alpine sh
```

Inside it, make a note and list the folder:

```.term1
echo "kept" > note.txt
ls
exit
```

Now restart that very container, using its ID:

```
docker container start <container ID>
```

## 1.1 Templates and tables

Print the layers with a Go template:

```.term1
docker image inspect --format "{{ "{{ json .RootFS.Layers "}}}}" alpine
```

List the images:

```.term1
docker image ls
```

The list looks roughly like this:

```
REPOSITORY    TAG       IMAGE ID       CREATED        SIZE
alpine        latest    5f3e8b2a91cc   3 weeks ago    7.8MB
...
```

Write the following into a file named *app.txt*:

```
greetings from the lab
```

## 2 Swarm

Make the first node a manager:

```.term1
docker swarm init --advertise-addr $(hostname -i)
git clone https://github.com/example/sample-stack
```

Copy the join command it prints and paste it in the second terminal to join the swarm.

```.term2
docker info
```
"""

STUDENT_STYLE = """# My lab report

I listed the containers first:

```bash
$ docker container ls -a
CONTAINER ID   IMAGE     COMMAND   CREATED         STATUS                     PORTS     NAMES
1a2b3c4d5e6f   alpine    "ls"      4 minutes ago   Exited (0) 4 minutes ago             happy_turing
```

Then on Windows:

```powershell
docker version
```

And a plain block with a prompt:

```
$ docker image pull busybox
Using default tag: latest
```
"""

# A lab small enough for the kit tests of `labcheck record`.
KIT_LAB = """---
title: "A first look"
---

## 1 Run things

Say hello with the smallest image:

```.term1
docker container run hello-world
```

Print a line from alpine:

```.term1
docker container run alpine echo "hi from alpine"
```

Give alpine a second name:

```.term1
docker image tag alpine mine:1
```
"""
