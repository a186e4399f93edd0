package command

var setCommands = []Spec{}
