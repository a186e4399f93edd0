package command

var zsetCommands = []Spec{}
